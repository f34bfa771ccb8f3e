using Drydock.Common;
using Drydock.Drain;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// Runs a drain against a sandbox on a manual clock.
/// </summary>
internal static class DrainDriver
{
    /// <summary>
    /// For the in-process client (<see cref="SandboxCluster.CreateClient"/>): the drain is started on the test's thread
    /// under a <see cref="VirtualTimeDriver"/>, which runs every continuation there and moves the clock (and the
    /// cluster's controllers) to the next due time only when nothing is runnable — a fact, not a guess from real-time
    /// quiet. A run whose work escaped to the thread pool fails: the jump could have overtaken it.
    /// </summary>
    public static Task<T> RunAsync<T>(ManualTimeProvider clock, SandboxCluster cluster, Func<Task<T>> operation,
        TimeSpan? virtualLimit = null)
    {
        var driver = new VirtualTimeDriver(clock, cluster);
        driver.MarkStart();
        var outcome = driver.Run(_ => operation(), clock.GetUtcNow() + (virtualLimit ?? TimeSpan.FromMinutes(5)));
        if (!outcome.Task.IsCompleted)
            throw new TimeoutException($"the drain did not finish at virtual {outcome.At:O}: {outcome.StoppedBecause}");
        if (driver.EscapedWork > 0)
            throw new InvalidOperationException($"{driver.EscapedWork} continuations of the drain ran on the thread pool: keep the drain (and the client) on the driver's context, or the clock can jump past them");
        return outcome.Task;
    }

    /// <summary>
    /// For a drain over real HTTP (a Kestrel server; its requests and responses complete on the thread pool, so a
    /// single-thread pump cannot know when they are in flight): lets the work settle (no new API requests or progress
    /// for a few real milliseconds), then jumps the clock to the next due timer. Real-time and virtual-time caps keep
    /// a broken test from hanging.
    /// </summary>
    public static async Task<T> RunOverHttpAsync<T>(ManualTimeProvider clock, SandboxCluster cluster, Func<Task<T>> operation,
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
