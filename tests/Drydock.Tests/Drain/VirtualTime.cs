using Drydock.Common;

namespace Drydock.Tests.Drain;

/// <summary>
/// Drives an operation in virtual time on the test's thread: runs every continuation on a single-threaded pump, and
/// only when nothing is runnable — the queue is empty and no work escaped to the thread pool is still running — jumps
/// the clock to the next due timer. Whether the operation is waiting is a fact the pump knows, not a guess from
/// real-time quiet, so a descheduled thread cannot let the clock (and the test's scheduled changes) run ahead of it.
/// </summary>
internal static class VirtualTime
{
    public static Task<T> RunAsync<T>(ManualTimeProvider time, Func<Task<T>> operation, TimeSpan? virtualLimit = null)
    {
        var pump = new SingleThreadPump();
        var limit = time.GetUtcNow() + (virtualLimit ?? TimeSpan.FromMinutes(10));
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
                    if (pump.EscapedWork > 0) throw new InvalidOperationException($"{pump.EscapedWork} continuations ran on the thread pool: keep the drain (and fakes) on the caller's context");
                    return task;
                }
                if (pump.Settle()) continue;
                if (time.NextDue is not { } due)
                    throw new InvalidOperationException("the operation waits, but no timer is due: it would never finish ");
                if (due > limit) throw new TimeoutException($"operation still running at the virtual limit ({limit:O})");
                if (due <= time.GetUtcNow()) time.Advance(TimeSpan.Zero); // fires timers due now
                else time.AdvanceTo(due);
            }
        }
    }
}

/// <summary>Collects progress events synchronously (thread-safe) so tests can assert on them.</summary>
internal sealed class RecordingProgress : IProgress<Drydock.Drain.DrainEvent>
{
    private readonly List<Drydock.Drain.DrainEvent> _events = [];

    public void Report(Drydock.Drain.DrainEvent value) { lock (_events) _events.Add(value); }

    public IReadOnlyList<Drydock.Drain.DrainEvent> Events { get { lock (_events) return _events.ToList(); } }

    public int Count { get { lock (_events) return _events.Count; } }

    public IReadOnlyList<T> Of<T>() where T : Drydock.Drain.DrainEvent => Events.OfType<T>().ToList();
}
