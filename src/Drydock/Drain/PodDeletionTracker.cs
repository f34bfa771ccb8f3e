using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Learns when pods leave a node from ONE watch on the node's pods (fieldSelector spec.nodeName=N), started at the
/// resourceVersion of the list the plan was made from, so no deletion can slip between list and watch. A pod is
/// gone when it is deleted or a pod with the same name but a new UID appears. If the watch breaks it relists and
/// re-watches; after repeated failures it falls back to one LIST per second (still not one GET per pod).
/// Deterministic under a <see cref="SynchronizationContext"/> (a rehearsal's virtual-time driver): the loop runs on the
/// context it was started from and completes the waiters there, in the order the pods were listed — nothing of it runs
/// on the thread pool, so the order of API calls does not depend on how the OS schedules threads. Without a context
/// (the CLI) the loop and the waiters' continuations run on the thread pool, as before.
/// </summary>
internal sealed class PodDeletionTracker : IAsyncDisposable
{
    private const int WatchFailuresBeforePolling = 3;

    private readonly IKubeClient _client;
    private readonly TimeProvider _time;
    private readonly string _fieldSelector;
    // Filled once in the constructor and only read afterwards (safe for concurrent readers); iterated in list order.
    private readonly Dictionary<(string Ns, string Name), Tracked> _pods = [];
    private readonly List<Tracked> _inOrder = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _resourceVersion;
    // Pods seen gone so far: "all gone?" is asked after every watch event, so it must not rescan every pod.
    private int _goneCount;

    public PodDeletionTracker(IKubeClient client, TimeProvider time, string node, string? resourceVersion, IEnumerable<Pod> pods)
    {
        _client = client;
        _time = time;
        _fieldSelector = DrainPaging.NodePodsFieldSelector(node);
        _resourceVersion = resourceVersion;
        var context = SynchronizationContext.Current;
        foreach (var p in pods)
        {
            var r = PodRef.Of(p);
            if (_pods.ContainsKey((r.Namespace, r.Name))) continue;
            var t = new Tracked(r, context) { DeletionTimestamp = p.Metadata.DeletionTimestamp };
            _pods[(r.Namespace, r.Name)] = t;
            _inOrder.Add(t);
        }
    }

    /// <summary>True after the watch failed for good and the tracker polls with LIST instead.</summary>
    public bool Polling { get; private set; }

    /// <summary>Requests made by the tracker (watches opened + lists), for diagnostics and benchmarks.</summary>
    public int Requests => _requests;
    private int _requests;

    /// <summary>Starts the watch loop on the caller's context (no Task.Run: under a rehearsal's driver it must stay on the
    /// driver's thread); it yields first, so the caller goes on at once.</summary>
    public void Start() => _loop ??= RunAsync(_stop.Token);

    public Task WhenGone(PodRef pod) => Get(pod).Gone.Task;

    public bool IsGone(PodRef pod) => Get(pod).Marked;

    public DateTimeOffset? DeletionTimestamp(PodRef pod) => Get(pod).DeletionTimestamp;

    private Tracked Get(PodRef pod) => _pods.TryGetValue((pod.Namespace, pod.Name), out var t)
        ? t : throw new InvalidOperationException($"pod {pod} is not tracked");

    private bool AllGone => Volatile.Read(ref _goneCount) == _inOrder.Count;

    private async Task RunAsync(CancellationToken ct)
    {
        // Back to the caller's context (the driver's queue), or to the thread pool when there is none.
        await Task.Yield();
        var failures = 0;
        while (!ct.IsCancellationRequested && !AllGone)
        {
            if (Polling)
            {
                await ReconcileFromListAsync(ct);
                await Task.Delay(DrainConstants.PollInterval, _time, ct);
                continue;
            }
            try
            {
                if (_resourceVersion is null) await ReconcileFromListAsync(ct);
                Interlocked.Increment(ref _requests);
                var options = new ListOptions { FieldSelector = _fieldSelector, ResourceVersion = _resourceVersion, AllowWatchBookmarks = true };
                await foreach (var ev in _client.WatchAsync<Pod>(ResourceKind.Pods, options, ct))
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
                try { await Task.Delay(DrainConstants.PollInterval, _time, ct); }
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
                new ListOptions { FieldSelector = _fieldSelector }, ct);
            var present = items.ToDictionary(p => (p.Metadata.Namespace ?? "default", p.Metadata.Name ?? ""));
            foreach (var t in _inOrder)
            {
                if (!present.TryGetValue((t.Pod.Namespace, t.Pod.Name), out var now)) MarkGone(t);
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
        if (type == WatchEvent<Pod>.Deleted && sameUid) MarkGone(t);
        else if (!sameUid) MarkGone(t); // a new pod under the same name: ours is gone
        else t.DeletionTimestamp = pod.Metadata.DeletionTimestamp ?? t.DeletionTimestamp;
    }

    private void MarkGone(Tracked t)
    {
        if (t.MarkGone()) Interlocked.Increment(ref _goneCount);
    }

    public async ValueTask DisposeAsync()
    {
        // Cancel, not CancelAsync: CancelAsync runs the watch's cancellation callbacks on the thread pool.
        _stop.Cancel();
        if (_loop is not null)
        {
            try { await _loop; }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }

    private sealed class Tracked(PodRef pod, SynchronizationContext? context)
    {
        private int _marked;

        public PodRef Pod { get; } = pod;

        // The waiters must not run inside the watch loop. Without a context: continuations asynchronously (the pool).
        // With one: completed by a callback posted to it, in the order the loop saw the pods go — never on the pool
        // (RunContinuationsAsynchronously would queue WaitAsync's and WhenAny's completions there).
        public TaskCompletionSource Gone { get; } = new(context is null ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);

        /// <summary>Seen gone (its waiters may still be about to run).</summary>
        public bool Marked => Volatile.Read(ref _marked) == 1;

        /// <summary>Marks the pod gone and wakes its waiters; false when it already was.</summary>
        public bool MarkGone()
        {
            if (Interlocked.Exchange(ref _marked, 1) != 0) return false;
            if (context is null) Gone.TrySetResult();
            else context.Post(static s => ((TaskCompletionSource)s!).TrySetResult(), Gone);
            return true;
        }

        public volatile object? Boxed;
        public DateTimeOffset? DeletionTimestamp { get => (DateTimeOffset?)Boxed; set => Boxed = value; }
    }
}
