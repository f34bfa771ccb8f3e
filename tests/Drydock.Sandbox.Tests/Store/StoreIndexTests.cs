using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>The store's indexes (watchers by node, the watch log search, key-ordered paging, the typed-copy cache)
/// must answer exactly what a brute-force scan answers.</summary>
public sealed class StoreIndexTests
{
    private static readonly string[] Nodes = ["n0", "n1", "n2", "n3", ""];
    private static readonly string?[] Owners = ["uid-a", "uid-b", null];

    private static JsonObject Pod(string name, string node, string app) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns" + (name[^1] % 3), ["labels"] = new JsonObject { ["app"] = app } },
        ["spec"] = new JsonObject { ["nodeName"] = node },
    };

    private static void RandomWrites(ObjectStore store, Random random, int steps)
    {
        var names = new List<(string Ns, string Name)>();
        for (var step = 0; step < steps; step++)
        {
            var action = names.Count == 0 ? 0 : random.Next(6);
            if (action <= 2)
            {
                var created = store.Create(ServedResource.Pods, Pod($"p{step}", Nodes[random.Next(Nodes.Length)], random.Next(2) == 0 ? "web" : "db"));
                names.Add((created.Ns()!, created.Name()));
            }
            else if (action == 3)
            {
                var i = random.Next(names.Count);
                store.Remove(ServedResource.Pods, names[i].Ns, names[i].Name);
                names.RemoveAt(i);
            }
            else if (action == 4)
            {
                var (ns, name) = names[random.Next(names.Count)];
                var node = Nodes[random.Next(Nodes.Length)];
                store.Mutate(ServedResource.Pods, ns, name, p => p.Spec()!["nodeName"] = node);
            }
            else
            {
                var (ns, name) = names[random.Next(names.Count)];
                var owner = Owners[random.Next(Owners.Length)];
                store.Mutate(ServedResource.Pods, ns, name, p =>
                {
                    if (owner is null) p.Meta().Remove("ownerReferences");
                    else p.Meta()["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = owner, ["controller"] = true });
                });
            }
        }
    }

    private static List<StoreChange> Drain(WatchSubscription sub)
    {
        var events = new List<StoreChange>();
        while (sub.Events.Reader.TryRead(out var c)) events.Add(c);
        return events;
    }

    [Fact]
    public void Should_deliver_each_watch_exactly_the_changes_its_selectors_match_after_random_writes_and_deletes()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var all = new List<StoreChange>();
        store.Changed += all.Add;
        var fields = new[] { "spec.nodeName=n0", "spec.nodeName=n1", "spec.nodeName==n2", "spec.nodeName=", "spec.nodeName!=n0", "", "spec.nodeName=n1,metadata.namespace=ns1" };
        var subs = fields.SelectMany(f => new[] { "", "app=web" }.Select(l =>
            store.Watch(ServedResource.Pods, null, LabelSelectorExpr.Parse(l), FieldSelectorExpr.Parse(f, "pods"), store.ResourceVersion.ToString(CultureInfo.InvariantCulture)))).ToList();
        var nodeWatch = store.Watch(ServedResource.Nodes, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Everything, "1");

        RandomWrites(store, new Random(11), 3_000);
        subs[3].Dispose();

        all.Should().HaveCountGreaterThan(2_000);
        foreach (var sub in subs.Where(s => s != subs[3]))
            Drain(sub).Select(c => c.ResourceVersion).Should().Equal(all.Where(sub.Wants).Select(c => c.ResourceVersion),
                $"watch {sub.Fields} / {sub.Labels} gets what its selectors match");
        Drain(nodeWatch).Should().BeEmpty();
    }

    [Fact]
    public void Should_answer_pods_by_node_and_by_owner_as_a_full_scan_does_after_random_writes_and_deletes()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        RandomWrites(store, new Random(19), 3_000);
        var all = store.All(ServedResource.Pods);

        foreach (var node in Nodes)
        {
            var expected = all.Where(p => (p.Spec().S("nodeName") ?? "") == node).Select(Key).ToList();
            store.List(ServedResource.Pods, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Parse("spec.nodeName=" + node, "pods"), 0, null)
                .Items.Select(Key).Should().Equal(expected, $"pods on node '{node}'");
            (node.Length == 0 ? store.UnscheduledPods() : store.PodsOnNode(node)).Select(Key).Should().Equal(expected);
        }
        foreach (var owner in Owners.OfType<string>())
            store.OwnedBy(owner).Select(o => Key(o.Object)).Order(StringComparer.Ordinal).Should().Equal(
                all.Where(p => p.ControllerRef()?.S("uid") == owner).Select(Key), $"pods owned by {owner}");
    }

    [Fact]
    public void Should_replay_from_any_version_exactly_the_later_logged_changes()
    {
        var store = new ObjectStore(new ManualTimeProvider(), watchLogCapacity: 700);
        var all = new List<StoreChange>();
        store.Changed += all.Add;
        RandomWrites(store, new Random(3), 2_000);
        var oldestKept = all[^700].ResourceVersion;

        foreach (var from in new[] { oldestKept - 1, oldestKept, oldestKept + 1, all[^350].ResourceVersion, all[^1].ResourceVersion })
        {
            using var sub = store.Watch(ServedResource.Pods, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Parse("spec.nodeName=n1", "pods"), from.ToString(CultureInfo.InvariantCulture));
            Drain(sub).Select(c => c.ResourceVersion).Should().Equal(all.Where(c => c.ResourceVersion > from && sub.Wants(c)).Select(c => c.ResourceVersion), $"replay from {from}");
        }
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("ns1", "")]
    [InlineData(null, "spec.nodeName=n2")]
    [InlineData("ns0", "spec.nodeName=")]
    public void Should_page_every_object_exactly_once_in_key_order_across_writes_during_paging(string? ns, string fieldSelector)
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var random = new Random(5);
        RandomWrites(store, random, 4_000);
        var fields = FieldSelectorExpr.Parse(fieldSelector, "pods");
        var before = store.List(ServedResource.Pods, ns, LabelSelectorExpr.Everything, fields, 0, null).Items.Select(Key).ToList();

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = store.List(ServedResource.Pods, ns, LabelSelectorExpr.Everything, fields, 37, token);
            page.Items.Count.Should().BeLessThanOrEqualTo(37);
            seen.AddRange(page.Items.Select(Key));
            token = page.Continue;
            // A write between pages: a new pod sorting before the cursor (not seen), one far after it (seen).
            store.Create(ServedResource.Pods, Pod($"a-early-{pages}", "n2", "web"));
            pages++;
        } while (token is not null);

        seen.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
        seen.Should().Contain(before.Where(k => !k.Contains("/a-early-", StringComparison.Ordinal)));
        seen.Should().BeSubsetOf(store.List(ServedResource.Pods, ns, LabelSelectorExpr.Everything, fields, 0, null).Items.Select(Key));
        pages.Should().Be(Math.Max(1, (seen.Count + 36) / 37));
    }

    private static string Key(JsonObject o) => ObjectStore.KeyOf(o.Ns(), o.Name());

    [Fact]
    public void Should_convert_each_stored_version_once_and_never_cache_objects_that_are_not_stored()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var conversions = 0;
        Func<JsonObject, object> convert = o => { conversions++; return new { Version = o.O("metadata").S("resourceVersion") }; };
        store.Create(ServedResource.Pods, Pod("p", "n1", "web"));
        var stored = store.Get(ServedResource.Pods, "ns1", "p")!;

        store.Typed(stored, convert).Should().BeSameAs(store.Typed(stored, convert));
        conversions.Should().Be(1);

        var next = store.Mutate(ServedResource.Pods, "ns1", "p", p => p.Spec()!["nodeName"] = "n2")!;
        store.Typed(next, convert).Should().NotBeSameAs(store.Typed(stored, convert));
        store.Typed(stored, convert);
        conversions.Should().Be(4, "the replaced version is no longer cached");

        var final = store.Remove(ServedResource.Pods, "ns1", "p")!;
        store.Typed(final, convert);
        store.Typed(next, convert);
        conversions.Should().Be(6, "neither a DELETED final object nor a removed version is cached");
    }
}
