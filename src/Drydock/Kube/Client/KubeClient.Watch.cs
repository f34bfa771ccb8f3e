using System.Runtime.CompilerServices;
using System.Text.Json;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Kube.Client;

public sealed partial class KubeClient
{
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, [EnumeratorCancellation] CancellationToken ct = default) where T : class
    {
        var pathAndQuery = kind.CollectionPath(options.Namespace) + KubeQuery.ForWatch(options);
        using var response = await OpenStreamAsync(pathAndQuery, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                throw new KubeApiException(KubeStatuses.ClientSide("StreamBroken",
                    $"the watch stream from {Server} broke: {Describe(ex)}"), ex);
            }
            if (line is null) yield break;
            if (line.Length == 0) continue;
            var ev = ParseWatchLine<T>(line);
            if (ev.Type == WatchEvent<T>.ErrorType)
                throw new KubeApiException(ev.Error ?? KubeStatuses.ClientSide("WatchError", "the watch stream sent an ERROR event without a Status"));
            yield return ev;
        }
    }

    /// <summary>One line of the newline-delimited watch stream: {"type":"ADDED","object":{...}}.</summary>
    internal static WatchEvent<T> ParseWatchLine<T>(string line) where T : class
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (!doc.RootElement.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            return new WatchEvent<T>(type, null);
        return type == WatchEvent<T>.ErrorType
            ? new WatchEvent<T>(type, null, KubeJson.Deserialize<Status>(obj))
            : new WatchEvent<T>(type, KubeJson.Deserialize<T>(obj));
    }

    /// <summary>Opens a streamed GET: the deadline covers only the wait for response headers.</summary>
    private async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(_options.RequestDeadline, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        HttpResponseMessage response;
        try
        {
            response = await SendOnceAsync(HttpMethod.Get, pathAndQuery, null, null, linked.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && _options.Credentials?.Invalidate() == true)
            {
                response.Dispose();
                response = await SendOnceAsync(HttpMethod.Get, pathAndQuery, null, null, linked.Token);
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new KubeApiException(KubeStatuses.ClientSide("Timeout",
                $"the Kubernetes API server at {Server} did not start the watch {PathOnly(pathAndQuery)} within {Format(_options.RequestDeadline)}"), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            throw Unreachable(ex);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var buffered = await BufferAsync(response, ct);
            throw new KubeApiException(KubeStatuses.FromResponse(buffered.StatusCode, buffered.Body, "GET", PathOnly(pathAndQuery)));
        }
    }
}
