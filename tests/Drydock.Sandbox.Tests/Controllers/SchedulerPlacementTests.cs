using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Scenarios;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>
/// The scheduler's placements are part of the sandbox's behaviour (rehearsals predict from them), so a faster
/// scheduler must place every pod exactly where the original one did: fewest pods among the nodes that pass
/// nodeSelector, required node affinity, taints and CPU/memory/pod capacity, ties to the first node by name.
/// The golden file was written by the original O(pods × nodes) scheduler; set DRYDOCK_UPDATE_GOLDEN=1 to rewrite it
/// (only when the placement rules are meant to change). It was rewritten once, when a loading cluster began placing
/// its ReplicaSets' pods as they are created rather than all at once in name order (PlacementAtCreationTests): the
/// rules stayed, the order pods meet them changed.
/// </summary>
public sealed class SchedulerPlacementTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Controllers", "SchedulerPlacement.golden.txt");

    [Fact]
    public async Task Should_place_every_pod_where_the_original_scheduler_did()
    {
        // Given 40 mixed nodes (sizes, zones, a dedicated taint, one cordoned, one NotReady) and ~350 pods of many
        // shapes, some of which fit nowhere
        using var v = new VirtualCluster(Scenario(seed: 11));
        var lines = new List<string>();
        Record(v, "settled", lines);

        // When nodes are cordoned and drained, a deployment scales up, and time passes (pods come back elsewhere)
        foreach (var node in new[] { "n-03", "n-17" })
        {
            await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, node, PatchType.StrategicMerge, """{"spec":{"unschedulable":true}}""");
            foreach (var pod in v.Cluster.Objects<Pod>().Where(p => p.Spec!.NodeName == node && p.Metadata.Namespace != "kube-system"))
                await v.Client.DeleteAsync(ResourceKind.Pods, pod.Metadata.Namespace, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        }
        v.Advance(5);
        Record(v, "drained", lines);
        await v.Client.PatchAsync<Deployment>(ResourceKind.Deployments, "team-0", "app-03", PatchType.Merge, """{"spec":{"replicas":30}}""");
        await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, "n-03", PatchType.StrategicMerge, """{"spec":{"unschedulable":false}}""");
        v.Advance(5);
        Record(v, "scaled", lines);

        // Then every placement, unschedulable pods included, equals the golden one
        if (Environment.GetEnvironmentVariable("DRYDOCK_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(FindRepoDir(), "tests", "Drydock.Sandbox.Tests", "Controllers", "SchedulerPlacement.golden.txt");
            File.WriteAllLines(source, lines);
        }
        lines.Count(l => l.StartsWith("settled ", StringComparison.Ordinal)).Should().BeGreaterThan(300);
        lines.Should().Contain(l => l.EndsWith(" (pending)", StringComparison.Ordinal), "the scenario must exercise pods that fit nowhere");
        lines.Should().Equal(File.ReadAllLines(GoldenPath));
    }

    private static void Record(VirtualCluster v, string stage, List<string> lines) =>
        lines.AddRange(v.Cluster.Objects<Pod>()
            .Select(p => $"{stage} {p.Metadata.Namespace}/{p.Metadata.Name} {p.Spec!.NodeName ?? "(pending)"}")
            .Order(StringComparer.Ordinal));

    private static string FindRepoDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Drydock.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Drydock.sln not found above the test binaries");
    }

    /// <summary>The default scenario plus 40 generated nodes and 30 Deployments (seeded).</summary>
    internal static string Scenario(int seed)
    {
        var rng = new Random(seed);
        var root = JsonNode.Parse(BuiltInScenario.Build("default"))!.AsObject();
        var items = root["items"]!.AsArray();
        var template = items.OfType<JsonObject>().First(i => (string?)i["kind"] == "Node" && (string?)i["metadata"]!["name"] == "worker-1");
        for (var n = 1; n <= 40; n++)
        {
            var node = template.DeepClone().AsObject();
            var name = $"n-{n:00}";
            node["metadata"]!["name"] = name;
            node["metadata"]!["uid"] = $"00000000-0000-4000-9000-{n:000000000000}";
            var labels = node["metadata"]!["labels"]!.AsObject();
            labels["kubernetes.io/hostname"] = name;
            labels["zone"] = n % 3 == 0 ? "b" : "a";
            if (n % 7 == 0) labels["disk"] = "ssd";
            var cpu = (n % 4 + 1) * 2;
            var alloc = new JsonObject { ["cpu"] = $"{cpu}", ["memory"] = $"{cpu * 2}Gi", ["pods"] = n % 5 == 0 ? "12" : "110" };
            node["status"]!["allocatable"] = alloc;
            node["status"]!["capacity"] = alloc.DeepClone();
            var spec = node["spec"] as JsonObject ?? (JsonObject)(node["spec"] = new JsonObject());
            if (n is 9 or 10) spec["taints"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["value"] = "db", ["effect"] = "NoSchedule" });
            if (n == 21) spec["unschedulable"] = true;
            if (n == 33)
                foreach (var c in node["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Where(c => (string?)c["type"] == "Ready"))
                    c["status"] = "False";
            items.Add(node);
        }
        for (var d = 0; d < 30; d++)
        {
            var app = $"app-{d:00}";
            var podSpec = new JsonObject
            {
                ["terminationGracePeriodSeconds"] = 10,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main", ["image"] = $"registry.example/{app}:1",
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = $"{rng.Next(1, 12) * 100}m", ["memory"] = $"{rng.Next(1, 10) * 256}Mi" },
                    },
                }),
            };
            switch (d % 6)
            {
                case 1: podSpec["nodeSelector"] = new JsonObject { ["zone"] = "b" }; break;
                case 2: podSpec["tolerations"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "db", ["effect"] = "NoSchedule" }); break;
                case 3:
                    podSpec["affinity"] = new JsonObject
                    {
                        ["nodeAffinity"] = new JsonObject
                        {
                            ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                            {
                                ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                                {
                                    ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "disk", ["operator"] = "In", ["values"] = new JsonArray("ssd") }),
                                }),
                            },
                        },
                    };
                    break;
                case 4: podSpec["nodeSelector"] = new JsonObject { ["zone"] = "c" }; break; // fits nowhere
            }
            items.Add(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = $"team-{d % 3}", ["labels"] = new JsonObject { ["app"] = app } },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = rng.Next(4, 20),
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
                        ["spec"] = podSpec,
                    },
                },
            });
        }
        return root.ToJsonString();
    }
}
