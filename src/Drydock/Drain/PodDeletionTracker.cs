using System.Collections.Concurrent;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Learns when pods leave a node from ONE watch on the node's pods (fieldSelector spec.nodeName=N), started at the
/// resourceVersion of the list the plan was made from, so no deletion can slip between list and watch. A pod is
/// gone when it is deleted or a pod with the same name but a new UID appears. If the watch breaks it relists and
/// re-watches; after repeated failures it falls back to one LIST per second (still not one GET per pod).
/// </summary>
internal sealed class PodDeletionTracker : IAsyncDisposable
{
    private const int WatchFailuresBeforePolling = 3;

    private readonly IKubeClient _client;
    private readonly TimeProvider _time;
    private readonly string _fieldSelector;
    private readonly ConcurrentDictionary<(string Ns, string Name), Tracked> _pods = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _resourceVersion;

    public PodDeletionTracker(IKubeClient client, TimeProvider time, string node, string? resourceVersion, IEnumerable<Pod> pods)
    {
        _client = client;
        _time = time;
        _fieldSelector = DrainPaging.NodePodsFieldSelector(node);
        _resourceVersion = resourceVersion;
        foreach (var p in pods)
        {
            var r = PodRef.Of(p);
            _pods[(r.Namespace, r.Name)] = new Tracked(r) { DeletionTimestamp = p.Metadata.DeletionTimestamp };
        }
    }

    /// <summary>True after the watch failed for good and the tracker polls with LIST instead.</summary>
    public bool Polling { get; private set; }

    /// <summary>Requests made by the tracker (watches opened + lists), for diagnostics and benchmarks.</summary>
    public int Requests => _requests;
    private int _requests;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public Task WhenGone(PodRef pod) => Get(pod).Gone.Task;

    public bool IsGone(PodRef pod) => Get(pod).Gone.Task.IsCompleted;

    public DateTimeOffset? DeletionTimestamp(PodRef pod) => Get(pod).DeletionTimestamp;

    private Tracked Get(PodRef pod) => _pods.TryGetValue((pod.Namespace, pod.Name), out var t)
        ? t : throw new InvalidOperationException($"pod {pod} is not tracked");

    private bool AllGone => _pods.Values.All(t => t.Gone.Task.IsCompleted);

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested && !AllGone)
        {
            if (Polling)
            {
                await ReconcileFromListAsync(ct).ConfigureAwait(false);
                await Task.Delay(DrainConstants.PollInterval, _time, ct).ConfigureAwait(false);
                continue;
            }
            try
            {
                if (_resourceVersion is null) await ReconcileFromListAsync(ct).ConfigureAwait(false);
                Interlocked.Increment(ref _requests);
                var options = new ListOptions { FieldSelector = _fieldSelector, ResourceVersion = _resourceVersion, AllowWatchBookmarks = true };
                await foreach (var ev in _client.WatchAsync<Pod>(ResourceKind.Pods, options, ct).ConfigureAwait(false))
                {
                    failures = 0;
                    if (ev.Type == WatchEvent<Pod>.ErrorType)
                    {
                        if (ev.Error?.Code == 410) { _resourceVersion = null; break; }
                        throw new KubeApiException(ev.Error ?? new Status { Message = "watch error" });
                    }
                    if (ev.Object is null) continue;
                    _resourceVersion = ev.Object.Metadata.ResourceVersion ?? _resourceVersion;
                    if (ev.Type != WatchEvent<Pod>.Bookmark) Observe(ev.Type, ev.Object);
                    if (AllGone) return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                _resourceVersion = null;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A broken stream: relist (to catch what was missed) and try again; give up on watching after a few.
                if (++failures >= WatchFailuresBeforePolling) Polling = true;
                _resourceVersion = null;
                try { await Task.Delay(DrainConstants.PollInterval, _time, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ReconcileFromListAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            var (items, rv) = await DrainPaging.ListAllAsync<Pod>(_client, ResourceKind.Pods,
                new ListOptions { FieldSelector = _fieldSelector }, ct).ConfigureAwait(false);
            var present = items.ToDictionary(p => (p.Metadata.Namespace ?? "default", p.Metadata.Name ?? ""));
            foreach (var t in _pods.Values)
            {
                if (!present.TryGetValue((t.Pod.Namespace, t.Pod.Name), out var now)) t.Gone.TrySetResult();
                else Observe(WatchEvent<Pod>.Modified, now);
            }
            _resourceVersion = rv;
        }
        catch (KubeApiException) when (!ct.IsCancellationRequested)
        {
            // Keep the last known state; the caller's loop tries again after its pause.
        }
    }

    private void Observe(string type, Pod pod)
    {
        if (!_pods.TryGetValue((pod.Metadata.Namespace ?? "default", pod.Metadata.Name ?? ""), out var t)) return;
        var sameUid = t.Pod.Uid is null || pod.Metadata.Uid is null || t.Pod.Uid == pod.Metadata.Uid;
        if (type == WatchEvent<Pod>.Deleted && sameUid) t.Gone.TrySetResult();
        else if (!sameUid) t.Gone.TrySetResult(); // a new pod under the same name: ours is gone
        else t.DeletionTimestamp = pod.Metadata.DeletionTimestamp ?? t.DeletionTimestamp;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }

    private sealed class Tracked(PodRef pod)
    {
        public PodRef Pod { get; } = pod;
        public TaskCompletionSource Gone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile object? Boxed;
        public DateTimeOffset? DeletionTimestamp { get => (DateTimeOffset?)Boxed; set => Boxed = value; }
    }
}
