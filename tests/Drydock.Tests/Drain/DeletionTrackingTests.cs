using Drydock.Common;
using Drydock.Drain;
using static Drydock.Tests.Drain.TestPods;

namespace Drydock.Tests.Drain;

/// <summary>How the drain learns pods are gone when it can only poll: a pod seen gone again must not count twice.</summary>
public sealed class DeletionTrackingTests
{
    private readonly ManualTimeProvider _time = new(Now);
    private readonly FakeCluster _cluster;
    private readonly NodeDrainer _drainer;

    public DeletionTrackingTests()
    {
        _cluster = new FakeCluster(_time);
        _drainer = new NodeDrainer(_cluster, _time);
        _cluster.AddNode("n1");
    }

    [Fact]
    public async Task Should_wait_for_the_slowest_pod_although_each_poll_sees_the_fast_one_gone_again()
    {
        // Given a server whose watch always fails, a pod gone after 1 s and one after 6 s
        _cluster.WatchBroken = true;
        _cluster.AddPod(Pod("default", "fast", grace: 1));
        _cluster.AddPod(Pod("default", "slow", grace: 6));

        // When drained (the tracker polls every second once the watch has failed three times)
        var result = await VirtualTime.RunAsync(_time, () => _drainer.DrainAsync("n1", new DrainOptions()), TimeSpan.FromMinutes(1));

        // Then both are seen gone, the slow one when it really is
        result.Succeeded.Should().BeTrue();
        result.Evicted.Select(e => e.Pod.Name).Should().BeEquivalentTo("fast", "slow");
        result.Evicted.Single(e => e.Pod.Name == "slow").Took.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(6));
        _cluster.HasPod("default", "slow").Should().BeFalse();
    }
}
