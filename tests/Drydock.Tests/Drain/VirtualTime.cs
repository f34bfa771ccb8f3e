using Drydock.Common;

namespace Drydock.Tests.Drain;

/// <summary>
/// Drives a drain in virtual time on a single-thread pump (see <see cref="Support.PumpedVirtualTime"/>): the clock
/// moves only when nothing is runnable, straight to the next due timer.
/// </summary>
internal static class VirtualTime
{
    public static Task<T> RunAsync<T>(ManualTimeProvider time, Func<Task<T>> operation, TimeSpan? virtualLimit = null) =>
        Support.PumpedVirtualTime.RunAsync(time, operation, virtualLimit ?? TimeSpan.FromMinutes(10), "the drain (and fakes)");
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
