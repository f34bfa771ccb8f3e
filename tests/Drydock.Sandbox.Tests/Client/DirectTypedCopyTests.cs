using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Scenarios;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>The in-process client's direct readers (Pod, Node, PodDisruptionBudget) give exactly the serializer's
/// typed copy for every object the tests and the sandbox produce.</summary>
public sealed class DirectTypedCopyTests
{
    [Fact]
    public void Should_read_every_fixture_pod_node_and_pdb_as_the_serializer_does()
    {
        // Given the HA snapshot fixture (kubectl output of a real kubeadm cluster), parsed as the sandbox parses a List
        var items = Obj.Parse(Fixtures.HaSnapshot)["items"]!.AsArray().Cast<JsonObject>().ToList();

        // When each pod, node and PDB is read directly, Then it equals the serializer's reading
        var checkedKinds = CheckAll(items);
        checkedKinds.Should().Contain(("Pod", 46)).And.Contain(("Node", 8)).And.Contain(("PodDisruptionBudget", 5));
    }

    [Fact]
    public async Task Should_read_every_object_of_a_settled_sandbox_mid_drain_as_the_serializer_does()
    {
        // Given the HA built-in cluster, one worker cordoned and a pod evicted (terminating)
        using var v = new VirtualCluster(BuiltInScenario.Build("ha"));
        await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, "worker-1", PatchType.Merge, """{"spec":{"unschedulable":true}}""");
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        v.Advance(1);

        // When every stored pod, node and PDB is read directly, Then each equals the serializer's reading
        var stored = new[] { ServedResource.Pods, ServedResource.Nodes, ServedResource.ForKind("PodDisruptionBudget")! }
            .SelectMany(r => v.Cluster.Store.All(r)).ToList();
        var checkedKinds = CheckAll(stored);
        checkedKinds.Select(k => k.Kind).Should().BeEquivalentTo(["Pod", "Node", "PodDisruptionBudget"]);
        stored.Should().Contain(o => o["metadata"]!["deletionTimestamp"] != null, "a terminating pod is among them");
        stored.Should().Contain(o => o["spec"]!["unschedulable"] != null, "a cordoned node is among them");
    }

    [Fact]
    public void Should_read_a_tree_with_every_model_property_set_as_the_serializer_does()
    {
        // Given for each kind a tree that sets every property of its model (so a property the readers miss shows)
        foreach (var (kind, tree) in new[] { ("Pod", typeof(Pod)), ("Node", typeof(Node)), ("PodDisruptionBudget", typeof(PodDisruptionBudget)) }
                     .Select(k => (k.Item1, ModelSample.Of(k.Item2))))
        {
            // When it is read directly, as built (CLR values) and as parsed from text (JSON elements)
            // Then both readings equal the serializer's
            Check(kind, tree);
            Check(kind, Obj.Parse(tree.ToJsonString()));
        }
    }

    [Fact]
    public void Should_read_a_tree_missing_any_one_property_as_the_serializer_does()
    {
        // Given for each kind the every-property tree, and each of its properties at any depth
        foreach (var model in new[] { typeof(Pod), typeof(Node), typeof(PodDisruptionBudget) })
        {
            var full = ModelSample.Of(model);
            var paths = ObjectPaths(full, []).ToList();
            paths.Should().HaveCountGreaterThan(20);
            foreach (var path in paths)
            {
                // When that one property is left out
                var tree = (JsonObject)full.DeepClone();
                var parent = path[..^1].Aggregate((JsonNode)tree, (n, step) => step is int i ? n[i]! : n[(string)step]!);
                ((JsonObject)parent).Remove((string)path[^1]);

                // Then the typed copy is the serializer's (a missing required property is its error)
                ConvertsAsSerializer(model, tree);
            }
        }
    }

    /// <summary>Every object property of a tree, as a path of names and list indexes.</summary>
    private static IEnumerable<object[]> ObjectPaths(JsonNode? n, object[] prefix)
    {
        if (n is JsonObject o)
            foreach (var (key, value) in o)
            {
                object[] path = [.. prefix, key];
                yield return path;
                foreach (var inner in ObjectPaths(value, path)) yield return inner;
            }
        else if (n is JsonArray a)
            for (var i = 0; i < a.Count; i++)
                foreach (var inner in ObjectPaths(a[i], [.. prefix, i])) yield return inner;
    }

    private static void ConvertsAsSerializer(Type model, JsonObject o)
    {
        if (model == typeof(Pod)) TypedCopyCheck.ConvertsAsSerializer<Pod>(o);
        else if (model == typeof(Node)) TypedCopyCheck.ConvertsAsSerializer<Node>(o);
        else TypedCopyCheck.ConvertsAsSerializer<PodDisruptionBudget>(o);
    }

    private static void Check(string kind, JsonObject o)
    {
        switch (kind)
        {
            case "Pod": TypedCopyCheck.ReadsDirectlyAsSerializer<Pod>(o); break;
            case "Node": TypedCopyCheck.ReadsDirectlyAsSerializer<Node>(o); break;
            case "PodDisruptionBudget": TypedCopyCheck.ReadsDirectlyAsSerializer<PodDisruptionBudget>(o); break;
        }
    }

    private static List<(string Kind, int Count)> CheckAll(IEnumerable<JsonObject> items)
    {
        var counts = new Dictionary<string, int>();
        foreach (var o in items)
        {
            var kind = o["kind"]!.GetValue<string>();
            if (kind is not ("Pod" or "Node" or "PodDisruptionBudget")) continue;
            Check(kind, o);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        return counts.Select(c => (c.Key, c.Value)).ToList();
    }
}
