using System.Diagnostics;
using Drydock.Common;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Runs asynchronous code (the orchestrator) against a <see cref="SandboxCluster"/> in virtual time. The code runs on
/// this thread under a single-threaded <see cref="SynchronizationContext"/>; whenever nothing is runnable — the
/// context's queue is empty and no work escaped to the thread pool (ConfigureAwait(false), Task.Run) is still
/// running — the clock jumps to the next due timer or cluster event and the cluster's controllers run
/// (<see cref="SandboxCluster.RunDue"/>). Waiting costs no wall time: a 6-hour upgrade rehearses in a second.
/// Deterministic: the drain library and the orchestrator keep every continuation on this context (no Task.Run, no
/// ConfigureAwait(false), no CancelAsync on their rehearsal paths), the queue runs in FIFO order and the clock fires
/// equal due times in the order they were set — so the same input gives the same API calls at the same virtual
/// times, on any machine. Work that still escapes to the pool is counted (<see cref="EscapedWork"/>) and waited for.
/// </summary>
public sealed partial class VirtualTimeDriver
{
    private readonly ManualTimeProvider _clock;
    private readonly SandboxCluster _cluster;
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private readonly DriverContext _context;
    private int _driverThread = -1;

    public VirtualTimeDriver(ManualTimeProvider clock, SandboxCluster cluster)
    {
        _clock = clock;
        _cluster = cluster;
        _context = new DriverContext(this);
        _flow = new AsyncLocal<object?>(OnFlowChanged);
    }

    // Our logical flows carry this marker in their ExecutionContext (it flows into Task.Run and ConfigureAwait(false)
    // continuations). When a pool thread starts or stops running one of them, the AsyncLocal's change handler sees
    // the context switch: an exact count of pool threads running our work, unaffected by anyone else's pool work.
    private readonly object _marker = new();
    private readonly AsyncLocal<object?> _flow;
    private int _escaped;

    private void OnFlowChanged(AsyncLocalValueChangedArgs<object?> change)
    {
        if (!change.ThreadContextChanged || OnDriverThread) return;
        if (change.CurrentValue == _marker && change.PreviousValue != _marker)
        {
            Interlocked.Increment(ref _escaped);
            Interlocked.Increment(ref _escapes);
        }
        else if (change.PreviousValue == _marker && change.CurrentValue != _marker) Interlocked.Decrement(ref _escaped);
    }

    /// <summary>Called on the driver thread after every clock jump and controller pass (for recorders).</summary>
    public event Action<DateTimeOffset>? Advanced;

    private long _escapes;

    /// <summary>
    /// How many times a pool thread started running the driven work. The drain library and the orchestrator keep their
    /// continuations on the driver's context, so this stays 0; anything else is work whose timing against the driver's
    /// queue is up to the OS scheduler — waited for (see <see cref="Pump"/>), but a threat to a byte-identical prediction.
    /// </summary>
    public long EscapedWork => Interlocked.Read(ref _escapes);

    /// <summary>Clock jumps made so far.</summary>
    public long Jumps { get; private set; }

    internal bool OnDriverThread => Environment.CurrentManagedThreadId == _driverThread;

    /// <summary>
    /// Runs <paramref name="work"/> until it completes, or until the clock would pass <paramref name="until"/>, or
    /// <paramref name="stop"/> returns a reason (checked after each jump) — then its token is cancelled and it is
    /// given a bounded amount of virtual time to wind down.
    /// </summary>
    public DriverOutcome<T> Run<T>(Func<CancellationToken, Task<T>> work, DateTimeOffset until, Func<DateTimeOffset, string?>? stop = null)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        _driverThread = Environment.CurrentManagedThreadId;
        using var cts = new CancellationTokenSource();
        _flow.Value = _marker;
        string? stopped = null;
        var windDownJumps = 0;
        try
        {
            var task = work(cts.Token);
            while (true)
            {
                Pump();
                if (task.IsCompleted) break;
                if (Settle()) continue;
                var next = NextDue();
                if (stopped is null)
                {
                    if (next is null) stopped = "nothing left to happen: every remaining step waits on something that never changes";
                    else if (next > until) stopped = $"time limit reached ({until - StartOf(until):g} of virtual time)";
                    else stopped = stop?.Invoke(_clock.GetUtcNow());
                    if (stopped is not null) { cts.Cancel(); continue; }
                }
                else if (next is null || ++windDownJumps > 10_000) break; // abandoned: it does not react to cancellation
                Jump(next ?? _clock.GetUtcNow());
            }
            Pump();
            return new DriverOutcome<T>(task, stopped, _clock.GetUtcNow());
        }
        finally
        {
            _flow.Value = null;
            SynchronizationContext.SetSynchronizationContext(previous);
            _driverThread = -1;
        }
    }

    private DateTimeOffset _startedAt;
    private DateTimeOffset StartOf(DateTimeOffset until) => _startedAt == default ? until : _startedAt;

    /// <summary>Marks "now" as the start (for the time-limit message).</summary>
    public void MarkStart() => _startedAt = _clock.GetUtcNow();

    private DateTimeOffset? NextDue()
    {
        var a = _clock.NextDue;
        var b = _cluster.NextDue;
        return a is null ? b : b is null ? a : (a < b ? a : b);
    }

    private void Jump(DateTimeOffset to)
    {
        var now = _clock.GetUtcNow();
        if (to <= now) _clock.Advance(TimeSpan.Zero);
        else _clock.AdvanceTo(to);
        _cluster.RunDue();
        Jumps++;
        Advanced?.Invoke(_clock.GetUtcNow());
    }

    /// <summary>
    /// Runs queued work one item at a time, letting work that escaped to the thread pool finish (and post back) before
    /// each item, so the order of same-instant API calls does not depend on how the pool's threads were scheduled.
    /// </summary>
    private void Pump()
    {
        while (true)
        {
            WaitPoolIdle();
            (SendOrPostCallback Callback, object? State) item;
            lock (_gate)
            {
                if (_queue.Count == 0) return;
                item = _queue.Dequeue();
            }
            item.Callback(item.State);
        }
    }

    private void WaitPoolIdle()
    {
        if (PoolIdle()) return;
        var sw = Stopwatch.StartNew();
        for (var spin = 0; !PoolIdle() && sw.Elapsed < SettleLimit; spin++)
            if (spin < 64) Thread.Yield(); else Thread.Sleep(0);
    }

    // Queued pool items carry no count until they start, so a non-empty pool queue also means "not yet".
    // A work item is briefly neither pending nor counted (dequeued, context not yet switched): look twice.
    private bool PoolIdle()
    {
        if (Volatile.Read(ref _escaped) != 0 || ThreadPool.PendingWorkItemCount != 0) return false;
        Thread.SpinWait(64);
        return Volatile.Read(ref _escaped) == 0 && ThreadPool.PendingWorkItemCount == 0;
    }

    /// <summary>
    /// Waits until work that escaped to the thread pool (the drain library's ConfigureAwait(false) continuations,
    /// Task.Run) has either come back (posted here) or finished. Returns true when there is queued work to run.
    /// </summary>
    private bool Settle()
    {
        WaitPoolIdle();
        lock (_gate) return _queue.Count > 0;
    }

    /// <summary>A safety bound only: escaped work is short CPU work between two awaits.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    private void Post(SendOrPostCallback callback, object? state)
    {
        lock (_gate) _queue.Enqueue((callback, state));
    }

    /// <summary>Runs <paramref name="action"/> on the driver thread (at once when already there) and completes the
    /// returned task there, without forcing continuations elsewhere — so callers that used ConfigureAwait(false)
    /// continue on the driver thread too.</summary>
    internal Task<T> Invoke<T>(Func<Task<T>> action)
    {
        if (OnDriverThread) return action();
        var tcs = new TaskCompletionSource<T>();
        Post(_ =>
        {
            Task<T> inner;
            try { inner = action(); }
            catch (Exception e) { tcs.TrySetException(e); return; }
            inner.ContinueWith(t =>
            {
                if (t.IsCanceled) tcs.TrySetCanceled();
                else if (t.IsFaulted) tcs.TrySetException(t.Exception!.InnerExceptions);
                else tcs.TrySetResult(t.Result);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }, null);
        return tcs.Task;
    }

    private sealed class DriverContext(VirtualTimeDriver driver) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => driver.Post(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (driver.OnDriverThread) d(state);
            else throw new NotSupportedException("synchronous Send to the virtual-time driver from another thread would deadlock");
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}

/// <summary>How a driven run ended: its task (completed, or abandoned), why it was stopped (null if it finished), and when.</summary>
public sealed record DriverOutcome<T>(Task<T> Task, string? StoppedBecause, DateTimeOffset At)
{
    public bool Completed => Task.IsCompletedSuccessfully;

    /// <summary>The result of a completed run.</summary>
    public T Value => Task.IsCompletedSuccessfully ? Task.Result : throw new InvalidOperationException($"the run did not complete: {StoppedBecause}");
}
