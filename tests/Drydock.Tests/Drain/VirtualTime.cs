using Drydock.Common;

namespace Drydock.Tests.Drain;

/// <summary>
/// Drives an operation in virtual time: lets the work settle (no new requests or progress for a few real
/// milliseconds), then jumps the clock to the next due timer. A real-time cap keeps a broken test from hanging.
/// </summary>
internal static class VirtualTime
{
    public static async Task<T> RunAsync<T>(ManualTimeProvider time, Func<Task<T>> operation, Func<int> activity, TimeSpan? virtualLimit = null)
    {
        var task = Task.Run(operation);
        var limit = time.GetUtcNow() + (virtualLimit ?? TimeSpan.FromMinutes(10));
        var realDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!task.IsCompleted)
        {
            await SettleAsync(task, activity);
            if (task.IsCompleted) break;
            if (DateTime.UtcNow > realDeadline) throw new TimeoutException("operation did not finish within 30 s of real time");
            if (time.NextDue is { } due)
            {
                if (due > limit) throw new TimeoutException($"operation still running at the virtual limit ({limit:O})");
                if (due <= time.GetUtcNow()) time.Advance(TimeSpan.Zero); // fires timers due now
                else time.AdvanceTo(due);
            }
        }
        return await task;
    }

    private static async Task SettleAsync(Task task, Func<int> activity)
    {
        var last = activity();
        var stable = 0;
        while (stable < 3 && !task.IsCompleted)
        {
            await Task.Delay(3);
            var now = activity();
            stable = now == last ? stable + 1 : 0;
            last = now;
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
