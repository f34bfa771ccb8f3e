using System.Diagnostics;

namespace Drydock.Common;

/// <summary>
/// Runs asynchronous code on one thread, in order: continuations that capture the context are queued here and run
/// one at a time by <see cref="Pump"/>, FIFO. Work that still escapes to the thread pool (ConfigureAwait(false),
/// Task.Run) is counted exactly and waited for before each queued item, so whether the code "has nothing left to do
/// right now" is a fact, not a guess from real-time inactivity. A virtual-time driver pumps, then — once
/// <see cref="Settle"/> says nothing is runnable — moves its clock to the next due timer.
/// </summary>
public sealed class SingleThreadPump
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly object _gate = new();
    private readonly PumpContext _context;
    private int _pumpThread = -1;

    public SingleThreadPump()
    {
        _context = new PumpContext(this);
        _flow = new AsyncLocal<object?>(OnFlowChanged);
    }

    // Our logical flows carry this marker in their ExecutionContext (it flows into Task.Run and ConfigureAwait(false)
    // continuations). When a pool thread starts or stops running one of them, the AsyncLocal's change handler sees
    // the context switch: an exact count of pool threads running our work, unaffected by anyone else's pool work.
    private readonly object _marker = new();
    private readonly AsyncLocal<object?> _flow;
    private int _escaped;
    private long _escapes;

    private void OnFlowChanged(AsyncLocalValueChangedArgs<object?> change)
    {
        if (!change.ThreadContextChanged || OnPumpThread) return;
        if (change.CurrentValue == _marker && change.PreviousValue != _marker)
        {
            Interlocked.Increment(ref _escaped);
            Interlocked.Increment(ref _escapes);
        }
        else if (change.PreviousValue == _marker && change.CurrentValue != _marker) Interlocked.Decrement(ref _escaped);
    }

    /// <summary>How many times a pool thread started running the pumped work (0 when every continuation stays here).</summary>
    public long EscapedWork => Interlocked.Read(ref _escapes);

    /// <summary>True on the thread that entered the pump.</summary>
    public bool OnPumpThread => Environment.CurrentManagedThreadId == _pumpThread;

    /// <summary>Makes this thread the pump's: installs the context and marks the flow. Dispose to leave.</summary>
    public IDisposable Enter()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        _pumpThread = Environment.CurrentManagedThreadId;
        _flow.Value = _marker;
        return new Exit(this, previous);
    }

    private sealed class Exit(SingleThreadPump pump, SynchronizationContext? previous) : IDisposable
    {
        public void Dispose()
        {
            pump._flow.Value = null;
            SynchronizationContext.SetSynchronizationContext(previous);
            pump._pumpThread = -1;
        }
    }

    /// <summary>
    /// Runs queued work one item at a time, letting work that escaped to the thread pool finish (and post back) before
    /// each item, so the order of same-instant work does not depend on how the pool's threads were scheduled.
    /// </summary>
    public void Pump()
    {
        while (true)
        {
            // The quick look (nothing counted, nothing queued in the pool) is enough between items: the double look
            // with its spin, for a pool item caught between dequeue and count, costs a microsecond per item and is
            // made where it decides something — in Settle, before time moves.
            if (!PoolQuiet()) WaitPoolIdle();
            (SendOrPostCallback Callback, object? State) item;
            lock (_gate)
            {
                if (_queue.Count == 0) return;
                item = _queue.Dequeue();
            }
            item.Callback(item.State);
        }
    }

    /// <summary>
    /// Waits until work that escaped to the thread pool has either come back (posted here) or finished. Returns true
    /// when there is queued work to run; false means nothing is runnable until time moves.
    /// </summary>
    public bool Settle()
    {
        WaitPoolIdle();
        lock (_gate) return _queue.Count > 0;
    }

    private void WaitPoolIdle()
    {
        if (PoolIdle()) return;
        var sw = Stopwatch.StartNew();
        var spinner = new SpinWait();
        while (!PoolIdle() && sw.Elapsed < SettleLimit) spinner.SpinOnce(sleep1Threshold: -1); // yields, never sleeps
    }

    private bool PoolQuiet() => Volatile.Read(ref _escaped) == 0 && ThreadPool.PendingWorkItemCount == 0;

    // Queued pool items carry no count until they start, so a non-empty pool queue also means "not yet".
    // A work item is briefly neither pending nor counted (dequeued, context not yet switched): look twice.
    private bool PoolIdle()
    {
        if (!PoolQuiet()) return false;
        Thread.SpinWait(64);
        return Volatile.Read(ref _escaped) == 0 && ThreadPool.PendingWorkItemCount == 0;
    }

    /// <summary>A safety bound only: escaped work is short CPU work between two awaits.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(2);

    private void Post(SendOrPostCallback callback, object? state)
    {
        lock (_gate) _queue.Enqueue((callback, state));
    }

    /// <summary>Runs <paramref name="action"/> on the pump thread (at once when already there) and completes the
    /// returned task there, without forcing continuations elsewhere — so callers that used ConfigureAwait(false)
    /// continue on the pump thread too.</summary>
    public Task<T> Invoke<T>(Func<Task<T>> action)
    {
        if (OnPumpThread) return action();
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

    private sealed class PumpContext(SingleThreadPump pump) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => pump.Post(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (pump.OnPumpThread) d(state);
            else throw new NotSupportedException("synchronous Send to a single-thread pump from another thread would deadlock");
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
