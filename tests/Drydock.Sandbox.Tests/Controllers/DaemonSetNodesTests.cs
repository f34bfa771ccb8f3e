using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The DaemonSet controller's per-node view: fed pod changes one by one, it must hold what a view built
/// from the resulting pods holds, and the controller on top of it must keep one pod on each eligible node.</summary>
public sealed class DaemonSetNodesTests
{
    private const string Want = "agent=agent:v2";

    private static JsonObject Pod(string name, string node, string image = "agent:v2", bool ready = false, bool terminating = false, string? phase = null)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kube-system" },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = image }) },
            ["status"] = new JsonObject
            {
                ["phase"] = phase ?? (ready ? "Running" : "Pending"),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            },
        };
        if (terminating) pod.Meta()["deletionTimestamp"] = "2026-03-01T12:00:30Z";
        return pod;
    }

    private static string Describe(DaemonSetNodes view) =>
        $"active {view.Active} terminating {view.Terminating} unready {view.ActiveUnready} outdated {view.Outdated}; "
        + string.Join("; ", view.Nodes.Where(kv => kv.Value.Pods.Count > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}: [{string.Join(',', kv.Value.Pods)}] active {kv.Value.Active} ready {kv.Value.ReadyActive} terminating {kv.Value.Terminating}"));

    [Fact]
    public void Should_hold_what_a_view_built_from_the_pods_holds_after_a_sequence_of_changes()
    {
        var pods = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["a"] = Pod("a", "n1", ready: true), ["b"] = Pod("b", "n2", ready: true), ["c"] = Pod("c", "n3", image: "agent:v1", ready: true),
        };
        var view = new DaemonSetNodes(1, Want, pods.Values);
        void Change(string name, JsonObject? after)
        {
            view.Apply(pods.GetValueOrDefault(name), after);
            if (after is null) pods.Remove(name); else pods[name] = after;
        }

        Change("d", Pod("d", "n4"));                                   // created, not ready yet
        Change("d", Pod("d", "n4", ready: true));                      // started
        Change("c", Pod("c", "n3", image: "agent:v1", ready: true, terminating: true)); // outdated one replaced
        Change("c", null);
        Change("e", Pod("e", "n3"));
        Change("a", Pod("a", "n1"));                                   // node rebooted: back to Pending
        Change("b", Pod("b", "n2", phase: "Failed"));                  // finished
        Change("f", Pod("f", "n2", image: "agent:v1", ready: true));   // an old pod left behind
        Change("b", null);

        Describe(view).Should().Be(Describe(new DaemonSetNodes(1, Want, pods.Values)));
        (view.Active, view.Terminating, view.ActiveUnready, view.Outdated).Should().Be((4, 0, 2, 1));
    }

    [Fact]
    public void Should_count_desired_and_ready_from_what_the_controller_last_saw_of_each_node()
    {
        var view = new DaemonSetNodes(1, Want, [Pod("a", "n1", ready: true), Pod("b", "n2")]);
        view.TakeDirty(() => ["n1", "n2", "n3"]).Should().Equal("n1", "n2", "n3");
        view.Counted("n1", desired: true, ready: 1);
        view.Counted("n2", desired: true, ready: 0);
        view.Counted("n3", desired: true, ready: 0);
        (view.Desired, view.Ready).Should().Be((3, 1));

        view.Apply(Pod("b", "n2"), Pod("b", "n2", ready: true));
        view.MarkDirty("n3");
        view.TakeDirty(() => throw new InvalidOperationException("only the changed nodes")).Should().Equal("n2", "n3");
        view.Counted("n2", desired: true, ready: 1);
        view.Counted("n3", desired: false, ready: 0); // node deleted or no longer eligible
        (view.Desired, view.Ready).Should().Be((2, 2));
        view.TakeDirty(() => []).Should().BeEmpty();
    }

    [Fact]
    public void Should_keep_one_pod_on_each_eligible_node_as_labels_taints_and_nodes_change()
    {
        using var v = new VirtualCluster();
        var store = v.Cluster.Store;
        var nodes = store.All(ServedResource.Nodes).Select(n => n.Name()).ToList();
        nodes.Count.Should().BeGreaterThanOrEqualTo(3);
        foreach (var n in nodes.Take(2)) store.Mutate(ServedResource.Nodes, null, n, o => o.Meta().Ensure("labels")["disk"] = "ssd");
        store.Create(ServedResource.DaemonSets, DaemonSet());
        Settle(v);
        Check(v);

        // A third node gains the label, the first loses it, the second gets a taint the DaemonSet does not tolerate.
        store.Mutate(ServedResource.Nodes, null, nodes[2], o => o.Meta().Ensure("labels")["disk"] = "ssd");
        store.Mutate(ServedResource.Nodes, null, nodes[0], o => o.Meta().O("labels")!.Remove("disk"));
        store.Mutate(ServedResource.Nodes, null, nodes[1], o => o.Ensure("spec")["taints"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["effect"] = "NoSchedule" }));
        Settle(v);
        Check(v);

        // The taint goes, a labelled node is added, the third node is deleted.
        store.Mutate(ServedResource.Nodes, null, nodes[1], o => o.Spec()!.Remove("taints"));
        var added = (JsonObject)store.Get(ServedResource.Nodes, null, nodes[2])!.DeepClone();
        added.Meta()["name"] = "zz-added";
        added.Meta().Remove("uid");
        added.Meta().Remove("resourceVersion");
        store.Create(ServedResource.Nodes, added);
        store.Remove(ServedResource.Nodes, null, nodes[2]);
        Settle(v);
        Check(v);
    }

    private static void Settle(VirtualCluster v)
    {
        for (var i = 0; i < 6; i++) v.Advance(20);
    }

    private static JsonObject DaemonSet() => new()
    {
        ["apiVersion"] = "apps/v1", ["kind"] = "DaemonSet",
        ["metadata"] = new JsonObject { ["name"] = "ssd-agent", ["namespace"] = "kube-system" },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "ssd-agent" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "ssd-agent" } },
                ["spec"] = new JsonObject
                {
                    ["nodeSelector"] = new JsonObject { ["disk"] = "ssd" },
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = "agent:v2" }),
                },
            },
        },
    };

    /// <summary>From scratch: the eligible nodes (label, no untolerated taint) each run exactly one active pod, no
    /// other node runs one, and the status counts what is there.</summary>
    private static void Check(VirtualCluster v)
    {
        var store = v.Cluster.Store;
        var eligible = store.All(ServedResource.Nodes)
            .Where(n => n.Labels().GetValueOrDefault("disk") == "ssd" && n.Spec().A("taints") is not { Count: > 0 })
            .Select(n => n.Name()).Order(StringComparer.Ordinal).ToList();
        var active = store.All(ServedResource.Pods, "kube-system")
            .Where(p => p.Labels().GetValueOrDefault("app") == "ssd-agent" && !p.IsTerminating() && !SandboxCluster.PodFinished(p)).ToList();
        active.Select(p => p.Spec().S("nodeName")).Order(StringComparer.Ordinal).Should().Equal(eligible);
        var status = store.Get(ServedResource.DaemonSets, "kube-system", "ssd-agent").Status()!;
        (status.L("desiredNumberScheduled"), status.L("currentNumberScheduled"), status.L("numberReady"))
            .Should().Be((eligible.Count, active.Count, active.Count(SandboxCluster.PodReady)));
    }
}
