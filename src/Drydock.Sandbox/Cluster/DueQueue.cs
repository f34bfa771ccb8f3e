namespace Drydock.Sandbox.Cluster;

/// <summary>Work due at a simulated time (kubelet start/termination, node restarts, step completions), in due order.</summary>
internal sealed class DueQueue
{
    private readonly PriorityQueue<Action, (DateTimeOffset Due, long Seq)> _queue = new();
    private long _seq;

    public int Count => _queue.Count;

    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var p) ? p.Due : null;

    public void At(DateTimeOffset due, Action action) => _queue.Enqueue(action, (due, ++_seq));

    public bool TryTakeDue(DateTimeOffset now, out Action action)
    {
        if (_queue.TryPeek(out var a, out var p) && p.Due <= now) { _queue.Dequeue(); action = a; return true; }
        action = null!;
        return false;
    }
}
