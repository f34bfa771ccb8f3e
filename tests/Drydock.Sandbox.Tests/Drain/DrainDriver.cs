using Drydock.Common;
using Drydock.Drain;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// Runs a drain against a sandbox on a manual clock: lets the work settle (no new API requests or progress for a
/// few real milliseconds), then jumps the clock to the next due timer. Real-time and virtual-time caps keep a
/// broken test from hanging.
/// </summary>
internal static class DrainDriver
{
    public static async Task<T> RunAsync<T>(ManualTimeProvider clock, SandboxCluster cluster, Func<Task<T>> operation,
        RecordingProgress? progress = null, TimeSpan? virtualLimit = null)
    {
        var task = Task.Run(operation);
        var limit = clock.GetUtcNow() + (virtualLimit ?? TimeSpan.FromMinutes(5));
        var realDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int Activity() => (int)cluster.Stats.TotalRequests + (progress?.Count ?? 0);
        while (!task.IsCompleted)
        {
            var last = Activity();
            for (var stable = 0; stable < 3 && !task.IsCompleted;)
            {
                await Task.Delay(2);
                var now = Activity();
                stable = now == last ? stable + 1 : 0;
                last = now;
            }
            if (task.IsCompleted) break;
            if (DateTime.UtcNow > realDeadline) throw new TimeoutException("the drain did not finish within 60 s of real time");
            if (clock.GetUtcNow() > limit) throw new TimeoutException($"the drain was still running at the virtual limit {limit:O}");
            if (clock.NextDue is { } due && due > clock.GetUtcNow()) clock.AdvanceTo(due);
            else clock.Advance(TimeSpan.Zero);
        }
        return await task;
    }
}

/// <summary>Collects progress events synchronously (thread-safe).</summary>
internal sealed class RecordingProgress : IProgress<DrainEvent>
{
    private readonly List<DrainEvent> _events = [];

    public void Report(DrainEvent value) { lock (_events) _events.Add(value); }

    public int Count { get { lock (_events) return _events.Count; } }

    public IReadOnlyList<T> Of<T>() where T : DrainEvent { lock (_events) return _events.OfType<T>().ToList(); }
}
