using System.Runtime.CompilerServices;
using Drydock.Kube.Models;

namespace Drydock.Kube.Watching;

/// <summary>
/// A watch that does not end: it keeps the last resourceVersion (bookmarks included), reconnects when the
/// stream ends or breaks (backing off on the injected clock after failures), and relists on 410 Gone.
/// A relist is announced by a <see cref="Relist"/> event, followed by one ADDED per current object and a
/// <see cref="Synced"/> event: consumers that cache drop their cache at RELIST and have the full state at SYNCED.
/// Errors other than 410, 429, 5xx and unreachable-server (code 0) end the enumeration with the exception.
/// </summary>
public sealed class Watcher<T>(IKubeClient client, ResourceKind kind, ListOptions options, TimeProvider time, WatcherOptions? watcherOptions = null)
    where T : class, IKubeObject
{
    public const string Relist = "RELIST";
    public const string Synced = "SYNCED";

    private readonly WatcherOptions _options = watcherOptions ?? new WatcherOptions();

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? ResourceVersion { get; private set; } = options.ResourceVersion;

    /// <summary>Watch streams opened so far (diagnostics and tests).</summary>
    public int Connects { get; private set; }

    public int Relists { get; private set; }

    public async IAsyncEnumerable<WatchEvent<T>> RunAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var failures = 0;
        var needList = ResourceVersion is null;
        while (!ct.IsCancellationRequested)
        {
            if (needList)
            {
                KubeList<T>? list = null;
                try { list = await client.ListAllAsync<T>(kind, options with { ResourceVersion = null, Continue = null }, ct: ct); }
                catch (KubeApiException ex) when (IsTransient(ex)) { }
                if (list is null) { await BackoffAsync(++failures, ct); continue; }
                Relists++;
                failures = 0;
                needList = false;
                ResourceVersion = list.Metadata?.ResourceVersion;
                yield return new WatchEvent<T>(Relist, null);
                foreach (var item in list.Items) yield return new WatchEvent<T>(WatchEvent<T>.Added, item);
                yield return new WatchEvent<T>(Synced, null);
            }

            Connects++;
            var received = 0;
            var failed = false;
            await using (var stream = client.WatchAsync<T>(kind, options with { ResourceVersion = ResourceVersion, Continue = null }, ct).GetAsyncEnumerator(ct))
            {
                while (true)
                {
                    try
                    {
                        if (!await stream.MoveNextAsync()) break;
                    }
                    catch (KubeApiException ex) when (ex.IsGone) { needList = true; break; }
                    catch (KubeApiException ex) when (IsTransient(ex)) { failed = true; break; }
                    var ev = stream.Current;
                    received++;
                    failures = 0;
                    if (ev.Object?.Metadata.ResourceVersion is { Length: > 0 } rv) ResourceVersion = rv;
                    if (ev.Type == WatchEvent<T>.Bookmark && !_options.EmitBookmarks) continue;
                    yield return ev;
                }
            }
            // A stream that delivered events and ended is the server's timeout: resume at once. A broken or
            // empty one backs off, so a misbehaving server is not hammered.
            if (!needList && (failed || received == 0)) await BackoffAsync(++failures, ct);
        }
    }

    private Task BackoffAsync(int failures, CancellationToken ct)
    {
        var exp = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)) * (0.5 + _options.Jitter());
        var delay = TimeSpan.FromMilliseconds(Math.Min(exp, _options.MaxBackoff.TotalMilliseconds));
        return Task.Delay(delay, time, ct);
    }

    private static bool IsTransient(KubeApiException ex) => ex.Code is 0 or 429 or >= 500;
}
