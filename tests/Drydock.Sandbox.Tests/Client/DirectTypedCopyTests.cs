using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Scenarios;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>The in-process client's direct readers (pods, nodes, PDBs, workloads) give exactly the serializer's typed
/// copy for every object the tests and the sandbox produce, and for trees that set or leave out any model property.</summary>
public sealed class DirectTypedCopyTests
{
    [Fact]
    public void Should_read_every_fixture_object_of_a_direct_kind_as_the_serializer_does()
    {
        // Given the HA snapshot fixture (kubectl output of a real kubeadm cluster), parsed as the sandbox parses a List
        var items = Obj.Parse(Fixtures.HaSnapshot)["items"]!.AsArray().Cast<JsonObject>().ToList();

        // When each object of a kind with a direct reader is read directly, Then it equals the serializer's reading
        var counts = CheckAll(items);
        counts.Should().Contain(new Dictionary<string, int>
        {
            ["Pod"] = 46, ["Node"] = 8, ["PodDisruptionBudget"] = 5, ["Deployment"] = 5, ["ReplicaSet"] = 5,
            ["DaemonSet"] = 2, ["StatefulSet"] = 1, ["Job"] = 1, ["ConfigMap"] = 1,
        });
    }

    [Fact]
    public async Task Should_read_every_object_of_a_settled_sandbox_mid_drain_as_the_serializer_does()
    {
        // Given the HA built-in cluster, one worker cordoned and a pod evicted (terminating)
        using var v = new VirtualCluster(BuiltInScenario.Build("ha"));
        await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, "worker-1", PatchType.Merge, """{"spec":{"unschedulable":true}}""");
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        v.Advance(1);

        // When every stored object of a kind with a direct reader is read directly
        var stored = TypedCopyCheck.DirectKinds.Select(t => ServedResource.ForKind(t.Name)!).SelectMany(r => v.Cluster.Store.All(r)).ToList();
        var counts = CheckAll(stored);

        // Then each equals the serializer's reading, among them every kind the scenario has and the drain's traces
        counts.Keys.Should().Contain(["Pod", "Node", "PodDisruptionBudget", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ConfigMap", "Namespace"]);
        stored.Should().Contain(o => o["metadata"]!["deletionTimestamp"] != null, "a terminating pod is among them");
        stored.Should().Contain(o => o["spec"]!["unschedulable"] != null, "a cordoned node is among them");
    }

    [Fact]
    public void Should_read_a_tree_with_every_model_property_set_as_the_serializer_does()
    {
        foreach (var model in TypedCopyCheck.DirectKinds)
        {
            // Given a tree that sets every property of the model (so a property a reader misses shows)
            var tree = ModelSample.Of(model);

            // When it is read directly, as built (CLR values) and as parsed from text (JSON elements)
            // Then both readings equal the serializer's
            TypedCopyCheck.ReadsDirectlyAsSerializer(model, tree);
            TypedCopyCheck.ReadsDirectlyAsSerializer(model, Obj.Parse(tree.ToJsonString()));
        }
    }

    [Fact]
    public void Should_read_a_tree_missing_any_one_property_as_the_serializer_does()
    {
        foreach (var model in TypedCopyCheck.DirectKinds)
        {
            // Given the every-property tree of the model, and each of its properties at any depth
            var full = ModelSample.Of(model);
            var paths = ObjectPaths(full, []).ToList();
            paths.Should().HaveCountGreaterThan(10);
            foreach (var path in paths)
            {
                // When that one property is left out
                var tree = (JsonObject)full.DeepClone();
                var parent = path[..^1].Aggregate((JsonNode)tree, (n, step) => step is int i ? n[i]! : n[(string)step]!);
                ((JsonObject)parent).Remove((string)path[^1]);

                // Then the typed copy is the serializer's (a missing required property is its error)
                TypedCopyCheck.ConvertsAsSerializer(model, tree);
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

    private static Dictionary<string, int> CheckAll(IEnumerable<JsonObject> items)
    {
        var counts = new Dictionary<string, int>();
        foreach (var o in items)
        {
            var kind = o["kind"]!.GetValue<string>();
            if (TypedCopyCheck.DirectKind(kind) is not { } model) continue;
            TypedCopyCheck.ReadsDirectlyAsSerializer(model, o);
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        return counts;
    }
}
