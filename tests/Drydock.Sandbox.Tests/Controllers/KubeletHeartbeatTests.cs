using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>Every running kubelet stamps lastHeartbeatTime on all of its node's conditions each heartbeat interval;
/// a kubelet that is down does not.</summary>
public sealed class KubeletHeartbeatTests
{
    private static List<string?> Stamps(JsonObject node) =>
        (node.Status().A("conditions") ?? []).OfType<JsonObject>().Select(c => c.S("lastHeartbeatTime")).ToList();

    [Fact]
    public void Should_stamp_the_conditions_of_every_node_whose_kubelet_runs()
    {
        // Given a settled cluster where one node's kubelet is down for longer than a heartbeat interval
        using var v = new VirtualCluster();
        var nodes = v.Cluster.Store.All(ServedResource.Nodes).Select(n => n.Name()).ToList();
        nodes.Should().HaveCountGreaterThan(1);
        var down = nodes[^1];
        v.Cluster.KubeletOutage(down, TimeSpan.FromMinutes(10), reboot: false);
        var downStamps = Stamps(v.Cluster.Store.Get(ServedResource.Nodes, null, down)!);

        // When the heartbeat interval passes
        v.Advance(v.Cluster.Options.NodeHeartbeatInterval.TotalSeconds);

        // Then every condition of the running nodes carries the heartbeat's time, and the node whose kubelet is down
        // keeps what it had
        var now = Obj.Time(v.Clock.GetUtcNow());
        foreach (var name in nodes.Where(n => n != down))
            Stamps(v.Cluster.Store.Get(ServedResource.Nodes, null, name)!).Should().NotBeEmpty().And.AllBe(now, name);
        Stamps(v.Cluster.Store.Get(ServedResource.Nodes, null, down)!).Should().Equal(downStamps);
        downStamps.Should().NotContain(now);
    }
}
