using Drydock.Common;
using Drydock.Kube.Models;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class LeaseClusterLockTests
{
    [Fact]
    public async Task Should_keep_renewing_while_held_and_delete_the_lease_on_release()
    {
        // Given a held lock on a manual clock
        var h = new RolloutHarness(1, 0);
        var handle = await h.Lock.AcquireAsync("alice@host pid 1", CancellationToken.None);

        // When five minutes pass (far beyond the 60 s duration)
        for (var i = 0; i < 30; i++)
        {
            // (advance only while the renewal loop is armed, so virtual time never slips past an unarmed loop)
            for (var wait = 0; wait < 1000 && h.Time.NextDue is null; wait++) await Task.Delay(1);
            h.Time.Advance(TimeSpan.FromSeconds(10));
        }
        for (var wait = 0; wait < 1000 && h.Time.NextDue is null; wait++) await Task.Delay(1);

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
    }

    [Fact]
    public async Task Should_signal_lost_when_another_holder_took_the_lease()
    {
        // Given a held lock whose lease someone overwrites
        var h = new RolloutHarness(1, 0);
        await using var handle = await h.Lock.AcquireAsync("alice@host pid 1", CancellationToken.None);
        var key = "kube-system/drydock-lock";
        h.Cluster.Leases[key] = h.Cluster.Leases[key] with { Spec = h.Cluster.Leases[key].Spec! with { HolderIdentity = "mallory@host pid 3" } };

        // When the next renewal comes due
        h.Time.Advance(TimeSpan.FromSeconds(21));
        for (var i = 0; i < 100 && !handle.Lost.IsCancellationRequested; i++) await Task.Delay(5);

        // Then the holder learns it lost the lock (the run stops)
        handle.Lost.IsCancellationRequested.Should().BeTrue();
    }
}
