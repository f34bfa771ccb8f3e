using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Drain;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Scenarios;
using Drydock.Sandbox.Tests.Support;
using Drydock.Scheduling;

namespace Drydock.Sandbox.Tests.Rehearsal;

/// <summary>
/// A rehearsal is a prediction: the same input gives the same report, byte for byte (`-o json`), every time — whatever
/// thread starts it and however the OS schedules the thread pool. Every timestamp, retry count and request count is
/// compared, not just the batches.
/// </summary>
[Collection(RehearsalCollection.Name)]
public sealed class RehearsalDeterminismTests
{
    [Fact]
    public void Should_render_the_fixture_rehearsal_identically_five_times()
    {
        // Given the fixture cluster (its payments PDB blocks worker-4 for good; shared PDBs make drains wait and retry)
        var options = new RehearsalOptions
        {
            To = "v1.28.15", MaxUnavailable = 2, Strategy = BatchStrategyKind.Smart, Range = false, Force = true, DeleteEmptyDirData = true,
            StallLimit = TimeSpan.FromMinutes(20),
        };

        // When it is rehearsed five times
        var runs = Enumerable.Range(0, 5).Select(_ => RehearsalJson.Render(RehearsalEngine.Run(Fixtures.HaSnapshot, "fixture", options))).ToList();

        // Then every report is the same document
        runs[0].Should().Contain("\"pdbWaits\"").And.Contain("shop/payments-pdb");
        foreach (var run in runs.Skip(1)) run.Should().Be(runs[0]);
    }

    [Fact]
    public async Task Should_render_a_60_node_rehearsal_with_pdb_waits_identically_from_any_thread()
    {
        // Given 60 workers whose Deployments' PDBs are spread across nodes drained four at a time in inventory order,
        // so drains wait on PDBs and retry evictions at the same instants as other drains' API calls
        var list = Generated(workers: 60, seed: 11);
        var options = new RehearsalOptions
        {
            To = "v1.28.15", MaxUnavailable = 4, Strategy = BatchStrategyKind.Fixed, Range = false, Force = true, DeleteEmptyDirData = true,
            Profile = RehearsalProfile.Low,
        };
        string Rehearse() => RehearsalJson.Render(RehearsalEngine.RunOnce(list, "generated", options, options.Profile));

        // When it is rehearsed on the test's thread, on a thread-pool thread, and with a different pool size
        var first = Rehearse();
        var fromPool = await Task.Run(Rehearse);
        ThreadPool.GetMinThreads(out var workers, out var io);
        string widerPool;
        try
        {
            ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
            widerPool = await Task.Run(Rehearse);
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }

        // Then it finished after real PDB waits, and all three reports are the same document
        var report = JsonNode.Parse(first)!;
        report["finished"]!.GetValue<bool>().Should().BeTrue(first);
        report["pdbWaits"]!.AsArray().Should().NotBeEmpty("the scenario is built so that drains wait on PDBs");
        fromPool.Should().Be(first);
        widerPool.Should().Be(first);
    }

    [Fact]
    public void Should_keep_concurrent_drains_with_pdb_retries_on_the_driver_thread()
    {
        // Given six workers whose PDBs span nodes, and two of them drained at once under the virtual-time driver
        var clock = new ManualTimeProvider(RehearsalEngine.Epoch);
        using var cluster = new SandboxCluster(clock, RehearsalProfile.Low.ToSandboxOptions());
        cluster.LoadList(Generated(workers: 6, seed: 3));
        cluster.Settle();
        var driver = new VirtualTimeDriver(clock, cluster);
        var drainer = new NodeDrainer(new DriverBoundKubeClient(cluster.CreateClient(), driver), clock);
        var options = new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true, Force = true };

        // When the drains run (evictions refused by PDBs and retried, pods watched until gone)
        var outcome = driver.Run(ct => Task.WhenAll(drainer.DrainAsync("worker-001", options, ct: ct), drainer.DrainAsync("worker-002", options, ct: ct)),
            clock.GetUtcNow() + TimeSpan.FromHours(1));

        // Then both finish, and no step of them ran on the thread pool: nothing left for the OS scheduler to reorder
        outcome.Completed.Should().BeTrue(outcome.StoppedBecause);
        outcome.Value.Should().OnlyContain(r => r.Succeeded);
        cluster.Stats.EvictionsRejected.Should().BeGreaterThan(0, "the PDBs make evictions wait and retry");
        driver.EscapedWork.Should().Be(0);
    }

    /// <summary>The sandbox's HA control plane plus <paramref name="workers"/> workers and Deployments of 2–4 replicas, most
    /// with a PDB allowing one disruption (some none at all while a replica is missing).</summary>
    private static string Generated(int workers, int seed)
    {
        var rng = new Random(seed);
        var root = JsonNode.Parse(BuiltInScenario.Build("ha"))!.AsObject();
        var kept = new JsonArray();
        JsonObject? template = null;
        foreach (var item in root["items"]!.AsArray().OfType<JsonObject>().ToList())
        {
            var kind = item["kind"]!.GetValue<string>();
            var name = item["metadata"]?["name"]?.GetValue<string>() ?? "";
            if (kind == "Node" && name.StartsWith("worker-", StringComparison.Ordinal)) { template ??= item; continue; }
            if (kind is "Node" or "ConfigMap" or "Namespace" || (kind == "Pod" && item["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] is not null)
                || (kind == "DaemonSet" && name == "kube-proxy"))
                kept.Add(item.DeepClone());
        }
        for (var w = 1; w <= workers; w++)
        {
            var n = template!.DeepClone().AsObject();
            var name = $"worker-{w:000}";
            n["metadata"]!["name"] = name;
            n["metadata"]!["uid"] = $"00000000-0000-4000-8000-{w:000000000000}";
            n["metadata"]!["labels"]!["kubernetes.io/hostname"] = name;
            n["status"]!["allocatable"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
            n["status"]!["capacity"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" };
            kept.Add(n);
        }
        for (var d = 0; d < workers * 3 / 2; d++)
        {
            var replicas = rng.Next(2, 5);
            var app = $"app-{d:000}";
            var ns = $"team-{d % 5}";
            var grace = rng.Next(4) == 0 ? rng.Next(20, 91) : 30;
            kept.Add(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app } },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = replicas,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
                        ["spec"] = new JsonObject
                        {
                            ["terminationGracePeriodSeconds"] = grace,
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "main", ["image"] = $"registry.example/{app}:1",
                                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "200m", ["memory"] = "256Mi" } },
                            }),
                        },
                    },
                },
            });
            JsonObject? spec = rng.Next(10) switch
            {
                < 6 => new JsonObject { ["maxUnavailable"] = 1 },
                < 8 => new JsonObject { ["minAvailable"] = replicas - 1 },
                _ => null,
            };
            if (spec is null) continue;
            spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } };
            kept.Add(new JsonObject
            {
                ["apiVersion"] = "policy/v1", ["kind"] = "PodDisruptionBudget",
                ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = ns }, ["spec"] = spec,
            });
        }
        root["items"] = kept;
        return root.ToJsonString();
    }
}
