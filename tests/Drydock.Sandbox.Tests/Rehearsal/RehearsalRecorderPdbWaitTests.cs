using Drydock.Kube;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Rehearsal;

/// <summary>A refused eviction opens a PDB wait that says what the budget waits for: its unhealthy pods in name order,
/// each with its node and why it does not count — as a client listing the pods would see them.</summary>
public sealed class RehearsalRecorderPdbWaitTests
{
    [Fact]
    public void Should_name_the_budgets_unhealthy_pods_with_their_nodes_when_an_eviction_is_refused()
    {
        // Given shop/web's budget (3 pods, maxUnavailable 1) with one pod evicted (terminating, its replacement not Ready)
        using var v = new VirtualCluster();
        var recorder = new RehearsalRecorder(v.Cluster, v.Clock.GetUtcNow());
        var names = v.Pods("web").Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).ToList();
        v.Cluster.Evict("shop", names[0], null, dryRun: false).Should().BeNull();

        // When the next eviction is refused and reported
        var refusal = v.Cluster.Evict("shop", names[1], null, dryRun: false);
        refusal.Should().BeOfType<KubeApiException>().Which.IsTooManyRequests.Should().BeTrue();
        recorder.OnEviction("shop", names[1], refusal);

        // Then the wait names exactly the pods a client sees unhealthy, in name order, with node and reason
        var unhealthy = v.Pods("web").Where(p => !VirtualCluster.Ready(p)).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Metadata.Name} on {p.Spec!.NodeName ?? "(unscheduled)"}" + (p.Metadata.DeletionTimestamp is not null ? " (terminating)" : " (not Ready)"))
            .ToList();
        unhealthy.Should().Contain(u => u.EndsWith(" (terminating)", StringComparison.Ordinal)).And.Contain(u => u.EndsWith(" (not Ready)", StringComparison.Ordinal));
        var wait = recorder.PdbWaits.Should().ContainSingle().Subject;
        wait.Pdb.Should().Be("shop/web");
        wait.WaitsFor.Should().Be("replacements to become Ready: " + string.Join(", ", unhealthy));
        (wait.ExpectedPods, wait.DisruptionsAllowed).Should().Be((3, 0));
    }
}
