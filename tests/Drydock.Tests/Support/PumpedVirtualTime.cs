using Drydock.Common;

namespace Drydock.Tests.Support;

/// <summary>
/// Drives an operation in virtual time on the test's thread: runs every continuation on a single-threaded pump, and
/// only when nothing is runnable — the queue is empty and no work escaped to the thread pool is still running — jumps
/// the clock to the next due timer. Whether the operation is waiting is a fact the pump knows, not a guess from
/// real-time quiet, so a descheduled thread cannot let the clock (and the test's scheduled changes) run ahead of it.
/// The operation is started inside the pump (a Func, not a started Task), so its first continuation is already ours.
/// </summary>
internal static class PumpedVirtualTime
{
    /// <param name="time">The clock the operation waits on.</param>
    /// <param name="operation">Started on the pump.</param>
    /// <param name="virtualLimit">How far the clock may move before the run counts as hung.</param>
    /// <param name="keepHint">What must keep to the caller's context (named in the escaped-work failure).</param>
    public static Task<T> RunAsync<T>(ManualTimeProvider time, Func<Task<T>> operation, TimeSpan virtualLimit, string keepHint)
    {
        var pump = new SingleThreadPump();
        var limit = time.GetUtcNow() + virtualLimit;
        using (pump.Enter())
        {
            var task = operation();
            while (true)
            {
                pump.Pump();
                if (task.IsCompleted)
                {
                    // Escaped work (ConfigureAwait(false), Task.Run, a Channel's ReadAllAsync) can be in flight unseen
                    // for a moment, so the clock could jump past it: the code under test must keep to this thread.
                    if (pump.EscapedWork > 0) throw new InvalidOperationException($"{pump.EscapedWork} continuations ran on the thread pool: keep {keepHint} on the caller's context");
                    return task;
                }
                if (pump.Settle()) continue;
                if (time.NextDue is not { } due)
                    throw new InvalidOperationException("the operation waits, but no timer is due: it would never finish");
                if (due > limit) throw new TimeoutException($"operation still running at the virtual limit ({limit:O})");
                if (due <= time.GetUtcNow()) time.Advance(TimeSpan.Zero); // fires timers due now
                else time.AdvanceTo(due);
            }
        }
    }

    /// <summary>
    /// Runs real I/O (a file write, a child process) to completion before returning, off the pump and outside its
    /// logical flow: the pump cannot see real I/O in flight, so the code under test must not be able to wait on it
    /// asynchronously — from its side the awaited call simply completes, as it would once the I/O was done. Blocking
    /// keeps the pump's "nothing is runnable" exact; suppressing the flow keeps the I/O's own pool work from counting
    /// as escaped work of the operation.
    /// </summary>
    public static Task<T> CompleteOffPump<T>(Func<Task<T>> io)
    {
        Task<T> running;
        using (ExecutionContext.SuppressFlow()) running = Task.Run(io);
        try { return Task.FromResult(running.GetAwaiter().GetResult()); }
        catch (OperationCanceledException e) { return Task.FromCanceled<T>(e.CancellationToken.IsCancellationRequested ? e.CancellationToken : new CancellationToken(true)); }
        catch (Exception e) { return Task.FromException<T>(e); }
    }

    /// <inheritdoc cref="CompleteOffPump{T}(Func{Task{T}})"/>
    public static Task CompleteOffPump(Func<Task> io) => CompleteOffPump(async () => { await io(); return true; });
}
