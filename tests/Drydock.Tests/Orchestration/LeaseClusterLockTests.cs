using Drydock.Common;
using Drydock.Kube.Models;
using Drydock.Orchestration;
using Drydock.Tests.Support;

namespace Drydock.Tests.Orchestration;

public sealed class LeaseClusterLockTests
{
    // The lock's renewal loop runs on the pump it was acquired on: each test runs whole on one, and moves the clock only
    // by waiting on it (the pump fires each renewal as it comes due, never ahead of the loop re-arming).
    private static Task Run(RolloutHarness h, Func<Task> test) =>
        PumpedVirtualTime.RunAsync(h.Time, async () => { await test(); return true; }, TimeSpan.FromHours(1), "the lock (and fakes)");

    [Fact]
    public Task Should_keep_renewing_while_held_and_delete_the_lease_on_release()
    {
        // Given a held lock on a manual clock
        var h = new RolloutHarness(1, 0);
        return Run(h, async () =>
        {
            var handle = await h.Lock.AcquireAsync("alice@host pid 1", CancellationToken.None);

            // When five minutes pass (far beyond the 60 s duration)
            await Task.Delay(TimeSpan.FromMinutes(5), h.Time);
            await Task.Yield(); // (a renewal due at this same instant runs first)

            // Then the lease is still alive (renewed on the clock) and nobody else can take it
            var holder = await h.Lock.ReadAsync(CancellationToken.None);
            var renewal = (Task)handle.GetType().GetProperty("Renewal")!.GetValue(handle)!;
            renewal.Exception.Should().BeNull();
            handle.Lost.IsCancellationRequested.Should().BeFalse("lost?");
            renewal.IsCompleted.Should().BeFalse("the renewal loop should still run");
            holder!.RenewedAt!.Value.Should().BeCloseTo(h.Time.GetUtcNow(), TimeSpan.FromSeconds(20));
            holder.Duration.Should().Be(TimeSpan.FromSeconds(60));
            holder!.Identity.Should().Be("alice@host pid 1");
            holder.IsExpired(h.Time.GetUtcNow()).Should().BeFalse();
            var other = () => h.Lock.AcquireAsync("bob@host pid 2", CancellationToken.None);
            await other.Should().ThrowAsync<DrydockException>();
            handle.Lost.IsCancellationRequested.Should().BeFalse();

            // When released, the lease is gone
            await handle.DisposeAsync();
            h.Cluster.Leases.Should().BeEmpty();
        });
    }

    [Fact]
    public Task Should_signal_lost_when_another_holder_took_the_lease()
    {
        // Given a held lock whose lease someone overwrites
        var h = new RolloutHarness(1, 0);
        return Run(h, async () =>
        {
            await using var handle = await h.Lock.AcquireAsync("alice@host pid 1", CancellationToken.None);
            var key = "kube-system/drydock-lock";
            h.Cluster.Leases[key] = h.Cluster.Leases[key] with { Spec = h.Cluster.Leases[key].Spec! with { HolderIdentity = "mallory@host pid 3" } };

            // When the next renewal comes due
            await Task.Delay(TimeSpan.FromSeconds(21), h.Time);

            // Then the holder learns it lost the lock (the run stops)
            handle.Lost.IsCancellationRequested.Should().BeTrue();
        });
    }
}
