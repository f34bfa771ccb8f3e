using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Planning.Inventory;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Scenarios;
using Drydock.Scheduling;

namespace Drydock.Bench;

/// <summary>
/// `rehearsal [--nodes 5000] [--pods 150000] [--max-unavailable-percent 10] [--strategy smart|fixed|serial] [--load-only]`: wall time of a whole rehearsal of a generated
/// kubeadm cluster (3 control planes + workers, Deployments with a realistic PDB mix), phase by phase: loading the
/// List into the sandbox, settling (controllers create and schedule every pod), reading the snapshot, and the
/// virtual-time upgrade itself. Target: 5,000 nodes / 150,000 pods in ≤ 60 s.
/// </summary>
internal sealed class RehearsalBench : IBenchmark
{
    public string Name => "rehearsal";
    public string Description => "Rehearsal wall time of a generated cluster (default 5,000 nodes / 150,000 pods; target ≤ 60 s)";

    public Task<int> RunAsync(string[] args)
    {
        var nodes = Int(args, "--nodes", 5000);
        var pods = Int(args, "--pods", nodes * 30);
        var percent = Int(args, "--max-unavailable-percent", 10);
        var strategy = Array.IndexOf(args, "--strategy") is var si && si >= 0 && si + 1 < args.Length
            ? Enum.Parse<BatchStrategyKind>(args[si + 1], ignoreCase: true) : BatchStrategyKind.Smart;
        Console.WriteLine($"rehearsal: {nodes} nodes, ~{pods} pods, max-unavailable {percent}%, {strategy.ToString().ToLowerInvariant()} strategy, typical profile");
        var sw = Stopwatch.StartNew();
        var list = ClusterGenerator.List(nodes - 3, pods, seed: 7);
        Console.WriteLine($"  generate List JSON              {sw.Elapsed.TotalSeconds,8:0.0} s ({list.Length / (1024 * 1024)} MiB)");
        var options = new RehearsalOptions
        {
            To = "v1.28.15", MaxUnavailable = Math.Max(1, (nodes - 3) * percent / 100), Strategy = strategy, Range = false,
            Force = true, DeleteEmptyDirData = true,
        };
        if (args.Contains("--load-only")) return Task.FromResult(LoadOnly(list));
        sw.Restart();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var meter = new PhaseMeter();
        using var census = AllocationCensus.StartIfAsked();
        var report = RehearsalEngine.RunOnce(list, "generated", options, RehearsalProfile.Typical, (phase, took) =>
        {
            meter.Print(phase, took);
            Console.Write(Drydock.Sandbox.Diagnostics.Perf.Dump());
            census?.Dump();
        });
        var wall = sw.Elapsed;
        Console.WriteLine($"  rehearse (load+settle+run)      {wall.TotalSeconds,8:0.0} s wall {(Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds,8:0.0} s CPU (shared machine: CPU time is the steadier number)");
        Console.WriteLine($"  finished {report.Finished}; predicted {RehearsalEngine.Fmt(report.Duration)}; {report.Batches.Count} batches; " +
                          $"{report.Stats.VirtualJumps} clock jumps; {report.Stats.ApiRequests} API requests; {report.Stats.EvictionsAccepted} evictions ({report.Stats.EvictionsRejected} refused); " +
                          $"{report.PdbWaits.Count} PDB waits; PDB violations {report.Stats.PdbViolations}");
        if (report.WouldNotFinish is { } why) Console.WriteLine($"  {why}");
        var met = wall <= TimeSpan.FromSeconds(60);
        Console.WriteLine($"  target ≤ 60 s: {(met ? "met" : "NOT met")}");
        return Task.FromResult(met ? 0 : 1);
    }

    /// <summary>`--load-only`: the sandbox phases alone (load, settle, snapshot read), without the upgrade run.</summary>
    private static int LoadOnly(string list)
    {
        var clock = new ManualTimeProvider(RehearsalEngine.Epoch);
        using var cluster = new SandboxCluster(clock, RehearsalProfile.Typical.ToSandboxOptions());
        var sw = Stopwatch.StartNew();
        var meter = new PhaseMeter();
        using var census = AllocationCensus.StartIfAsked();
        void Done(string phase)
        {
            meter.Print(phase, sw.Elapsed);
            Console.Write(Drydock.Sandbox.Diagnostics.Perf.Dump());
            census?.Dump();
            sw.Restart();
        }
        cluster.LoadList(list);
        Done("load");
        cluster.Settle();
        Done("settle");
        var snapshot = new ClusterInventory(cluster.CreateClient(), clock).ReadAsync().GetAwaiter().GetResult();
        Done("snapshot");
        var pending = snapshot.Pods.Count(p => string.IsNullOrEmpty(p.NodeName));
        Console.WriteLine($"  {snapshot.Nodes.Count} nodes, {snapshot.Pods.Count} pods ({pending} unschedulable), {snapshot.Pdbs.Count} PDBs");
        return 0;
    }

    /// <summary>What one phase cost: CPU, and the GC's share of it (pause, MiB allocated, collections per generation)
    /// counted from the previous phase's end, so phases can be compared and GC settings judged phase by phase.</summary>
    private sealed class PhaseMeter
    {
        private TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private TimeSpan _pause = GC.GetTotalPauseDuration();
        private long _allocated = GC.GetTotalAllocatedBytes();
        private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        private long _faults = MinorFaults();

        /// <summary>Minor page faults of this process so far (Linux: /proc/self/stat field 10; 0 elsewhere). Each is a
        /// fresh page the heap grew into; on a VM that hands freed memory back to its host, a costly one.</summary>
        private static long MinorFaults()
        {
            try
            {
                var stat = File.ReadAllText("/proc/self/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[7], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 0; }
        }

        public void Print(string phase, TimeSpan wall)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var pause = GC.GetTotalPauseDuration();
            var allocated = GC.GetTotalAllocatedBytes();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var faults = MinorFaults();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {phase,-28} {wall.TotalSeconds,8:0.0} s wall {(cpu - _cpu).TotalSeconds,8:0.0} s CPU; GC: {(pause - _pause).TotalSeconds:0.0} s paused, " +
                $"{(allocated - _allocated) >> 20} MiB allocated, {collections[0] - _collections[0]}/{collections[1] - _collections[1]}/{collections[2] - _collections[2]} gen0/1/2; " +
                $"committed {GC.GetGCMemoryInfo().TotalCommittedBytes >> 20} MiB, {(faults - _faults) / 1000}k page faults"));
            _faults = faults;
            (_cpu, _pause, _allocated) = (cpu, pause, allocated);
            collections.CopyTo(_collections, 0);
        }
    }

    internal static int Int(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

/// <summary>
/// A generated kubeadm cluster as a Kubernetes List: the sandbox's HA control plane (3 nodes with static pods,
/// kubeadm-config, kube-proxy) plus <c>workers</c> copies of its worker node and Deployments whose controllers create
/// the pods. PDB mix (what production clusters look like): 55 % maxUnavailable 1, 20 % minAvailable replicas-1,
/// 10 % maxUnavailable 25 %, 15 % none; replicas 2–8; requests 100–500m / 128–1024Mi; grace 30 s (10 % 60–120 s).
/// </summary>
internal static class ClusterGenerator
{
    public static string List(int workers, int pods, int seed)
    {
        var rng = new Random(seed);
        var root = JsonNode.Parse(BuiltInScenario.Build("ha"))!.AsObject();
        var items = root["items"]!.AsArray();
        var kept = new JsonArray();
        JsonObject? template = null;
        foreach (var item in items.OfType<JsonObject>().ToList())
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
            var name = $"worker-{w:0000}";
            n["metadata"]!["name"] = name;
            n["metadata"]!["uid"] = $"00000000-0000-4000-8000-{w:000000000000}";
            n["metadata"]!["labels"]!["kubernetes.io/hostname"] = name;
            var cpu = WorkerCpu(workers, pods).ToString(System.Globalization.CultureInfo.InvariantCulture);
            n["status"]!["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "32Gi", ["pods"] = "110" };
            n["status"]!["capacity"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "32Gi", ["pods"] = "110" };
            kept.Add(n);
        }
        var made = 0;
        for (var d = 0; made < pods; d++)
        {
            var replicas = rng.Next(2, 9);
            made += replicas;
            var app = $"app-{d:00000}";
            var ns = $"team-{d % 50:00}";
            var cpu = $"{rng.Next(1, 6) * 100}m";
            var mem = $"{rng.Next(1, 9) * 128}Mi";
            var grace = rng.Next(10) == 0 ? rng.Next(60, 121) : 30;
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
                                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = mem } },
                            }),
                        },
                    },
                },
            });
            var roll = rng.Next(100);
            JsonObject? spec = roll switch
            {
                < 55 => new JsonObject { ["maxUnavailable"] = 1 },
                < 75 => new JsonObject { ["minAvailable"] = replicas - 1 },
                < 85 => new JsonObject { ["maxUnavailable"] = "25%" },
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

    /// <summary>
    /// Allocatable CPUs per worker: 8, or enough that the mix's requests (300m on average) fill at most 75 % of it. A
    /// real cluster's pods were all placed by its scheduler, so a generated one must fit too: 30 pods per node ask
    /// for ~9 CPUs, which 8-CPU workers cannot hold (a tenth of the pods would be Pending before the upgrade starts).
    /// 100 and 1,000 workers (20 pods each, ~6 CPUs) keep 8.
    /// </summary>
    public static int WorkerCpu(int workers, int pods) => Math.Max(8, (int)Math.Ceiling(Math.Round(pods / (double)workers) * 0.3 / 0.75));

    /// <summary>The same mix straight as the scheduler's input: pods spread round-robin from a random start (as a spreading scheduler would).</summary>
    public static BatchingInput Input(int workers, int pods, int seed)
    {
        var rng = new Random(seed);
        var nodes = Enumerable.Range(1, workers).Select(w => new BatchNode
        {
            Name = $"worker-{w:0000}", Allocatable = new Resources(WorkerCpu(workers, pods) * 1000L, 32L << 30, 110), Reserved = new Resources(100, 128L << 20, 1),
        }).ToList();
        var list = new List<BatchPod>();
        var budgets = new List<BatchBudget>();
        for (var d = 0; list.Count < pods; d++)
        {
            var replicas = rng.Next(2, 9);
            var cpu = rng.Next(1, 6) * 100;
            var mem = rng.Next(1, 9) * 128L << 20;
            var grace = rng.Next(10) == 0 ? rng.Next(60, 121) : 30;
            var roll = rng.Next(100);
            int? allowed = roll switch { < 55 => 1, < 75 => 1, < 85 => (int)Math.Ceiling(replicas * 0.25), _ => null };
            var id = $"team-{d % 50:00}/app-{d:00000}";
            if (allowed is int a) budgets.Add(new BatchBudget { Id = id, AllowedDisruptions = a });
            var start = rng.Next(workers);
            for (var r = 0; r < replicas; r++)
                list.Add(new BatchPod
                {
                    Key = $"{id}-{r}", Node = nodes[(start + r * (workers / replicas + 1)) % workers].Name, Requests = new Resources(cpu, mem, 1),
                    Budgets = allowed is null ? [] : [id], GracePeriod = TimeSpan.FromSeconds(grace),
                });
        }
        return new BatchingInput { Nodes = nodes, Pods = list, Budgets = budgets };
    }

    /// <summary>The generated cluster settled in a sandbox, read back as a snapshot (pods placed by the sandbox's scheduler).</summary>
    public static ClusterSnapshot Settled(string list)
    {
        var clock = new ManualTimeProvider(RehearsalEngine.Epoch);
        using var cluster = new SandboxCluster(clock, RehearsalProfile.Typical.ToSandboxOptions());
        cluster.LoadList(list);
        cluster.Settle();
        return new ClusterInventory(cluster.CreateClient(), clock).ReadAsync().GetAwaiter().GetResult();
    }
}
