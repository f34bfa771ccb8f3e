using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The scheduler's incrementally kept node list must equal one read from scratch after any sequence of
/// node changes, kubelet outages and pod-count changes.</summary>
public sealed class SchedulerNodesTests
{
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _kubeletDown = new(StringComparer.Ordinal);

    private SchedulerNodes NewList() => new(n => _pods.GetValueOrDefault(n), n => !_kubeletDown.Contains(n));

    private List<JsonObject> NodesInNameOrder() => _nodes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();

    private static JsonObject Node(string name, bool ready = true, bool cordoned = false, string? taint = null, string cpu = "4") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["zone"] = name[..1] } },
        ["spec"] = new JsonObject
        {
            ["unschedulable"] = cordoned,
            ["taints"] = taint is null ? new JsonArray() : new JsonArray(new JsonObject { ["key"] = taint, ["effect"] = "NoSchedule" }),
        },
        ["status"] = new JsonObject
        {
            ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "8Gi", ["pods"] = "110" },
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        },
    };

    private static string Describe(SchedulerNodes list) =>
        string.Join(" ", list.Order.Select(o => $"{o.Pods}/{o.Index}")) + " | "
        + string.Join(" ", list.Fits.Select(f => f is null ? "-"
            : $"{f.Name}#{f.Index}:{f.Cpu}:{f.Memory}:{f.Pods}:{string.Join(',', f.Taints.Select(t => t.S("key")))}:{string.Join(',', f.Labels.Select(l => l.Key + "=" + l.Value))}"));

    private string FromScratch()
    {
        var fresh = NewList();
        fresh.Rebuild(NodesInNameOrder());
        return Describe(fresh);
    }

    [Fact]
    public void Should_equal_a_list_read_from_scratch_after_a_sequence_of_changes()
    {
        foreach (var n in new[] { "a1", "a2", "b1", "b2", "c1" }) _nodes[n] = Node(n);
        var list = NewList();
        list.Rebuild(NodesInNameOrder());
        void Set(JsonObject node) { _nodes[node.Name()] = node; list.NodeChanged(node); }
        void Bind(string node, int delta) { _pods[node] = _pods.GetValueOrDefault(node) + delta; list.PodsChanged(node); }

        Bind("a1", 3); Bind("b2", 1); Bind("c1", 2);
        Set(Node("a2", cordoned: true));                // cordon
        Set(Node("b1", ready: false));                  // NotReady: out of the order
        Bind("b1", 2);                                  // pods counted while out
        _kubeletDown.Add("c1"); Set(Node("c1"));        // kubelet restarting
        Bind("a1", -2);
        Set(Node("b1"));                                // Ready again: back with its current pod count
        Set(Node("b2", taint: "dedicated", cpu: "2"));  // taint and smaller allocatable
        _kubeletDown.Remove("c1"); Set(Node("c1"));
        Bind("c1", -2);

        Describe(list).Should().Be(FromScratch());
        // By pod count, ties by name: a2 (cordoned: kept, with the unschedulable taint), c1, a1, b2, b1.
        list.Order.Select(o => o.Index).Should().Equal(1, 4, 0, 3, 2);
    }

    [Fact]
    public void Should_rebuild_after_a_node_is_added_or_deleted()
    {
        foreach (var n in new[] { "a1", "b1" }) _nodes[n] = Node(n);
        var list = NewList();
        list.Rebuild(NodesInNameOrder());
        list.Current.Should().BeTrue();

        _nodes["a2"] = Node("a2");
        list.Invalidate();
        list.Current.Should().BeFalse();
        list.NodeChanged(_nodes["a2"]); // ignored until rebuilt
        list.Rebuild(NodesInNameOrder());

        Describe(list).Should().Be(FromScratch());
        list.Fits.Select(f => f!.Name).Should().Equal("a1", "a2", "b1");
    }
}
