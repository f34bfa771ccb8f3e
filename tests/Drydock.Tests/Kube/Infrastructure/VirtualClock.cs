using Drydock.Common;

namespace Drydock.Tests.Kube.Infrastructure;

/// <summary>Waits (bounded, real time) until code under test has scheduled a timer on a manual clock.</summary>
public static class VirtualClock
{
    /// <summary>Returns once the earliest pending timer is due exactly <paramref name="after"/> from now.</summary>
    public static async Task WaitForTimerAsync(this ManualTimeProvider time, TimeSpan after, TimeSpan? bound = null)
    {
        var limit = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(10));
        while (time.NextDue != time.GetUtcNow() + after)
        {
            if (DateTime.UtcNow > limit)
                throw new TimeoutException($"no timer due in {after} was scheduled (next due: {time.NextDue - time.GetUtcNow()})");
            await Task.Delay(5);
        }
    }

    /// <summary>Keeps firing the earliest timer until cancelled; records each wait it skipped.</summary>
    public static async Task AutoAdvanceAsync(this ManualTimeProvider time, List<TimeSpan> waits, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (time.NextDue is { } due)
            {
                lock (waits) waits.Add(due - time.GetUtcNow());
                time.AdvanceTo(due);
            }
            try { await Task.Delay(5, ct); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Waits (bounded) for a condition the server side sets.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 10)
    {
        var limit = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }
}
