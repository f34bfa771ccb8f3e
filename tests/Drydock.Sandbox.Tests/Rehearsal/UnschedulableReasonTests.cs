using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Rehearsal;

/// <summary>The FailedScheduling-style explanation follows the nodes as they change (facts are kept per node version).</summary>
public sealed class UnschedulableReasonTests
{
    [Fact]
    public async Task Should_explain_a_pending_pod_from_the_nodes_current_versions()
    {
        // Given a pod that selects a label no node has
        using var v = new VirtualCluster();
        var pod = (JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"lost","namespace":"shop"},"spec":{"nodeSelector":{"zone":"nowhere"},"containers":[{"name":"c","image":"x"}]}}
            """)!;
        var nodes = v.Cluster.Store.All(ServedResource.Nodes).Select(n => n.Name()).Order(StringComparer.Ordinal).ToList();
        var first = UnschedulableReason.Explain(v.Cluster, pod);

        // When a node is cordoned after the first explanation, and it is explained again
        await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, nodes[^1], PatchType.StrategicMerge, """{"spec":{"unschedulable":true}}""");
        var second = UnschedulableReason.Explain(v.Cluster, pod);

        // Then the second explanation counts the cordoned node under its first failing filter
        first.Should().StartWith($"0/{nodes.Count} nodes are available: ").And.NotContain("were unschedulable");
        second.Should().StartWith($"0/{nodes.Count} nodes are available: ").And.Contain("1 node(s) were unschedulable");
    }
}
