using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>A node change the scheduler cannot see (a heartbeat, a kubelet report) keeps the node's read
/// <see cref="NodeFit"/> — and with it every constraint result cached against it — while any change it can see
/// (readiness, kubelet, taints, cordon, labels, allocatable) re-reads the node.</summary>
public sealed class SchedulerNodeChangeTests
{
    private readonly HashSet<string> _kubeletDown = new(StringComparer.Ordinal);

    private static JsonObject Node(string heartbeat = "2026-01-01T00:00:00Z", bool ready = true, bool cordoned = false,
        string zone = "a", string cpu = "4", string kubeletVersion = "v1.27.16") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "n1", ["labels"] = new JsonObject { ["zone"] = zone } },
        ["spec"] = new JsonObject { ["unschedulable"] = cordoned },
        ["status"] = new JsonObject
        {
            ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "8Gi", ["pods"] = "110" },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["lastHeartbeatTime"] = heartbeat,
            }),
            ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = kubeletVersion },
        },
    };

    private SchedulerNodes Built(JsonObject node)
    {
        var list = new SchedulerNodes(_ => 0, n => !_kubeletDown.Contains(n));
        list.Rebuild([node]);
        return list;
    }

    [Fact]
    public void Should_keep_the_read_node_when_only_heartbeats_or_kubelet_reports_change()
    {
        var list = Built(Node());
        var read = list.Fits[0];

        list.NodeChanged(Node(heartbeat: "2026-01-01T00:05:00Z")).Should().BeFalse();
        list.NodeChanged(Node(heartbeat: "2026-01-01T00:10:00Z", kubeletVersion: "v1.28.9")).Should().BeFalse();

        list.Fits[0].Should().BeSameAs(read);
    }

    [Theory]
    [InlineData("cordon")]
    [InlineData("labels")]
    [InlineData("allocatable")]
    [InlineData("not ready")]
    public void Should_reread_the_node_when_something_the_scheduler_reads_changes(string change)
    {
        var list = Built(Node());
        var read = list.Fits[0];

        var changed = change switch
        {
            "cordon" => Node(cordoned: true),
            "labels" => Node(zone: "b"),
            "allocatable" => Node(cpu: "2"),
            _ => Node(ready: false),
        };

        list.NodeChanged(changed).Should().BeTrue();
        list.Fits[0].Should().NotBeSameAs(read);
    }

    [Fact]
    public void Should_reread_the_node_when_its_kubelet_goes_down_or_comes_back()
    {
        var list = Built(Node());

        _kubeletDown.Add("n1");
        list.NodeChanged(Node(heartbeat: "2026-01-01T00:05:00Z")).Should().BeTrue();
        list.Fits[0].Should().BeNull();
        list.NodeChanged(Node(heartbeat: "2026-01-01T00:10:00Z")).Should().BeFalse("it still cannot take pods");

        _kubeletDown.Remove("n1");
        list.NodeChanged(Node(heartbeat: "2026-01-01T00:15:00Z")).Should().BeTrue();
        list.Fits[0]!.Name.Should().Be("n1");
    }

    [Fact]
    public void Should_keep_the_uncordoned_order_equal_to_the_order_without_cordoned_nodes()
    {
        var nodes = new[] { "a", "b", "c", "d" }.ToDictionary(n => n, n => Named(Node(), n));
        var pods = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new SchedulerNodes(n => pods.GetValueOrDefault(n), _ => true);
        list.Rebuild([.. nodes.Values]);
        void Set(string name, JsonObject node) { nodes[name] = Named(node, name); list.NodeChanged(nodes[name]); }
        void Bind(string name, int delta) { pods[name] = pods.GetValueOrDefault(name) + delta; list.PodsChanged(name); }

        Bind("a", 3); Bind("b", 1);
        Set("b", Node(cordoned: true));
        Bind("b", -1);                                  // drained while cordoned
        Bind("c", 2);
        Set("d", Node(cordoned: true));
        Set("d", Node(ready: false));                   // cordoned and NotReady: in neither order
        Set("c", Node(cordoned: true));
        Set("c", Node());                               // uncordoned again
        Bind("c", 1);

        list.UncordonedOrder.Should().Equal(list.Order.Where(o => !list.Fits[o.Index]!.Cordoned));
        list.UncordonedOrder.Select(o => (o.Pods, list.Fits[o.Index]!.Name)).Should().Equal((3, "a"), (3, "c"));
        list.Order.Select(o => list.Fits[o.Index]!.Name).Should().Equal("b", "a", "c");
    }

    private static JsonObject Named(JsonObject node, string name)
    {
        node.Meta()["name"] = name;
        return node;
    }
}
