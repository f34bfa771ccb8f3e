using System.Text.Json.Nodes;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Rehearsal;

/// <summary>The recorder's skew check after a clock jump: one kubelet per distinct version stands for all that run it,
/// the first in the cluster's node order, as it did when every kubelet was parsed on every check.</summary>
public sealed class RehearsalRecorderSkewTests
{
    [Fact]
    public void Should_report_a_kubelet_newer_than_the_apiservers_on_the_first_node_that_runs_it()
    {
        // Given the HA fixture (every component at v1.27.16) and a recorder on it
        using var v = new VirtualCluster(Fixtures.HaSnapshot);
        var order = v.Cluster.Store.All(ServedResource.Nodes).Select(n => n.Name()).ToList();
        var recorder = new RehearsalRecorder(v.Cluster, v.Clock.GetUtcNow());
        recorder.Sample(v.Clock.GetUtcNow());
        recorder.SkewViolations.Should().BeEmpty();

        // When worker-2's kubelet jumps two minors ahead
        SetKubelet(v, "worker-2", "v1.29.0");
        recorder.Sample(v.Clock.GetUtcNow());

        // Then one violation names it
        recorder.SkewViolations.Should().ContainSingle().Which.Message.Should().Contain("kubelet v1.29.0 on worker-2");

        // When worker-1 runs the same version too
        SetKubelet(v, "worker-1", "v1.29.0");
        recorder.Sample(v.Clock.GetUtcNow());

        // Then the version is checked on whichever of the two comes first in the node order
        var first = order.First(n => n is "worker-1" or "worker-2");
        recorder.SkewViolations.Select(f => f.Message).Should().Contain(m => m.Contains($"kubelet v1.29.0 on {first}"));

        // When both return to the apiservers' version and a third node moves ahead to another version
        SetKubelet(v, "worker-1", "v1.27.16");
        SetKubelet(v, "worker-2", "v1.27.16");
        SetKubelet(v, "worker-5", "v1.28.3");
        recorder.Sample(v.Clock.GetUtcNow());

        // Then that one is reported as well, and nothing else is new
        recorder.SkewViolations.Select(f => f.Message).Should().Contain(m => m.Contains("kubelet v1.28.3 on worker-5"));
        recorder.SkewViolations.Should().HaveCount(first == "worker-2" ? 2 : 3);
    }

    [Fact]
    public void Should_forget_a_deleted_nodes_kubelet()
    {
        // Given a recorder on the HA fixture and a node whose kubelet runs ahead
        using var v = new VirtualCluster(Fixtures.HaSnapshot);
        var recorder = new RehearsalRecorder(v.Cluster, v.Clock.GetUtcNow());
        SetKubelet(v, "worker-3", "v1.29.0");

        // When that node is deleted before the next check, and another runs ahead afterwards
        v.Cluster.Store.Remove(ServedResource.Nodes, null, "worker-3");
        recorder.Sample(v.Clock.GetUtcNow());
        SetKubelet(v, "worker-4", "v1.28.3");
        recorder.Sample(v.Clock.GetUtcNow());

        // Then only the node still there is reported
        recorder.SkewViolations.Should().ContainSingle().Which.Message.Should().Contain("kubelet v1.28.3 on worker-4");
    }

    private static void SetKubelet(VirtualCluster v, string node, string version) =>
        v.Cluster.Store.Mutate(ServedResource.Nodes, null, node, n => n["status"]!["nodeInfo"]!["kubeletVersion"] = JsonValue.Create(version));
}
