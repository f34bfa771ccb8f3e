using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>A watch pinned to a node (fieldSelector spec.nodeName=X) replays from the log's per-node index: it must get
/// exactly what a scan of every logged change would give, and 410 Gone exactly when the version was overwritten.</summary>
public sealed class NodeWatchReplayTests
{
    private const int LogCapacity = 300;
    private static readonly string[] Nodes = ["n0", "n1", "n2", ""];

    /// <summary>Creates, moves (to another node or unscheduled), relabels, re-phases and deletes pods, with ConfigMap
    /// writes between them that fill the log without concerning any node.</summary>
    private static void RandomWrites(ObjectStore store, Random random, List<(string Ns, string Name)> pods, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            var action = pods.Count == 0 ? 0 : random.Next(7);
            if (action <= 1)
            {
                var name = $"p{store.ResourceVersion}";
                var node = Nodes[random.Next(Nodes.Length)];
                // Parsed JSON (values backed by a JsonElement), as a loaded snapshot's pods are.
                var created = store.Create(ServedResource.Pods, Obj.Parse(
                    $$$"""{"metadata":{"name":"{{{name}}}","namespace":"ns{{{random.Next(2)}}}","labels":{"app":"web"}},"spec":{"nodeName":"{{{node}}}"},"status":{"phase":"Running"}}"""));
                pods.Add((created.Ns()!, created.Name()));
            }
            else if (action == 2)
            {
                var i = random.Next(pods.Count);
                store.Remove(ServedResource.Pods, pods[i].Ns, pods[i].Name);
                pods.RemoveAt(i);
            }
            else if (action == 3)
            {
                var (ns, name) = pods[random.Next(pods.Count)];
                var node = Nodes[random.Next(Nodes.Length)];
                store.Mutate(ServedResource.Pods, ns, name, p => { if (node.Length == 0) p.Spec()!.Remove("nodeName"); else p.Spec()!["nodeName"] = node; });
            }
            else if (action == 4)
            {
                var (ns, name) = pods[random.Next(pods.Count)];
                var phase = random.Next(2) == 0 ? "Running" : "Succeeded";
                store.Mutate(ServedResource.Pods, ns, name, p => p.Status()!["phase"] = phase);
            }
            else if (action == 5)
            {
                var (ns, name) = pods[random.Next(pods.Count)];
                var app = random.Next(2) == 0 ? "web" : "db";
                store.Mutate(ServedResource.Pods, ns, name, p => p.Meta()["labels"]!["app"] = app);
            }
            else store.Create(ServedResource.ConfigMaps, Obj.Parse($$$"""{"metadata":{"name":"cm{{{store.ResourceVersion}}}","namespace":"ns0"}}"""));
        }
    }

    private static string NodeOf(JsonObject? pod) => pod?.Spec().S("nodeName") ?? "";

    /// <summary>What a scan of the whole history sends a spec.nodeName=<paramref name="node"/> watch from <paramref name="from"/>.</summary>
    private static IEnumerable<long> BruteForce(List<StoreChange> all, string node, long from) =>
        all.Where(c => c.ResourceVersion > from && c.Resource == ServedResource.Pods
                       && (NodeOf(c.Object) == node || (c.Previous is not null && NodeOf(c.Previous) == node)))
            .Select(c => c.ResourceVersion);

    private static bool Compacted(List<StoreChange> all, long from) =>
        all.Count > LogCapacity && from < all[^LogCapacity].ResourceVersion - 1;

    private static List<long> Drain(WatchSubscription sub)
    {
        var versions = new List<long>();
        while (sub.Events.Reader.TryRead(out var c)) versions.Add(c.ResourceVersion);
        return versions;
    }

    private static WatchSubscription Watch(ObjectStore store, string fieldSelector, long from, string labels = "", string? ns = null) =>
        store.Watch(ServedResource.Pods, ns, LabelSelectorExpr.Parse(labels), FieldSelectorExpr.Parse(fieldSelector, "pods"), from.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public void Should_replay_a_node_watch_from_any_version_as_a_full_scan_would_across_many_wraparounds()
    {
        var store = new ObjectStore(new ManualTimeProvider(), watchLogCapacity: LogCapacity);
        var all = new List<StoreChange>();
        store.Changed += all.Add;
        var random = new Random(7);
        var pods = new List<(string, string)>();
        int replays = 0, gone = 0;

        for (var round = 0; round < 40; round++)
        {
            RandomWrites(store, random, pods, random.Next(20, 200));
            var head = store.ResourceVersion;
            foreach (var from in new[] { 1, head - LogCapacity - 2, head - LogCapacity - 1, head - LogCapacity, head - random.Next(LogCapacity), head - 1, head })
            {
                foreach (var node in Nodes)
                {
                    if (Compacted(all, from))
                    {
                        var old = () => Watch(store, "spec.nodeName=" + node, from);
                        old.Should().Throw<KubeApiException>().Which.Code.Should().Be(410, $"version {from} was overwritten");
                        gone++;
                        continue;
                    }
                    using var sub = Watch(store, "spec.nodeName=" + node, from);
                    Drain(sub).Should().Equal(BruteForce(all, node, from), $"node '{node}' from {from} at head {head}");
                    replays++;
                }
            }
        }

        all.Count.Should().BeGreaterThan(10 * LogCapacity, "the ring buffer wrapped many times");
        replays.Should().BeGreaterThan(500);
        gone.Should().BeGreaterThan(100);
    }

    [Fact]
    public void Should_continue_a_replayed_node_watch_with_live_changes_in_log_order()
    {
        var store = new ObjectStore(new ManualTimeProvider(), watchLogCapacity: LogCapacity);
        var all = new List<StoreChange>();
        store.Changed += all.Add;
        var random = new Random(23);
        var pods = new List<(string, string)>();
        RandomWrites(store, random, pods, 2 * LogCapacity);
        var from = store.ResourceVersion - LogCapacity / 2;

        var subs = Nodes.Select(n => (Node: n, Sub: Watch(store, "spec.nodeName=" + n, from))).ToList();
        RandomWrites(store, random, pods, 3 * LogCapacity);

        foreach (var (node, sub) in subs)
        {
            Drain(sub).Should().Equal(BruteForce(all, node, from), $"node '{node}'");
            sub.Dispose();
        }
    }

    [Theory]
    [InlineData("spec.nodeName=n1,status.phase!=Succeeded", "", null)]
    [InlineData("spec.nodeName=n1", "app=web", null)]
    [InlineData("spec.nodeName==n2", "", "ns1")]
    [InlineData("status.phase=Running,spec.nodeName=", "", null)]
    public void Should_still_apply_the_rest_of_a_node_watch_filter_to_the_node_changes_it_replays(string fields, string labels, string? ns)
    {
        var store = new ObjectStore(new ManualTimeProvider(), watchLogCapacity: LogCapacity);
        var all = new List<StoreChange>();
        store.Changed += all.Add;
        var pods = new List<(string, string)>();
        RandomWrites(store, new Random(31), pods, 3 * LogCapacity);
        var from = store.ResourceVersion - LogCapacity + 1;
        var selector = FieldSelectorExpr.Parse(fields, "pods");
        var labelSelector = LabelSelectorExpr.Parse(labels);

        using var sub = Watch(store, fields, from, labels, ns);

        var expected = all.Where(c => c.ResourceVersion > from && c.Resource == ServedResource.Pods
                                      && (ns is null || c.Object.Ns() == ns)
                                      && (labelSelector.Matches(c.Object.Labels()) || (c.Previous is not null && labelSelector.Matches(c.Previous.Labels())))
                                      && (selector.Matches(c.Object) || (c.Previous is not null && selector.Matches(c.Previous))))
            .Select(c => c.ResourceVersion).ToList();
        expected.Should().NotBeEmpty();
        Drain(sub).Should().Equal(expected);
    }
}
