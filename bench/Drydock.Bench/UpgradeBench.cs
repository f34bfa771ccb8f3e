using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Orchestration;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;

namespace Drydock.Bench;

/// <summary>
/// `Drydock.Bench upgrade [workers]`: the sandbox in virtual time — 3 control planes, N workers (default 100), PDB-covered
/// workloads — upgraded v1.27.16 → v1.28.15 one node at a time (the guides' procedure) and in --max-unavailable
/// batches; each total is compared with the lower bound: control-plane time + ceil(workers / batch) × per-worker time.
/// </summary>
internal sealed class UpgradeBench : IBenchmark
{
    public string Name => "upgrade";

    public string Description => "rolling upgrade on the sandbox in virtual time: batching vs one node at a time vs lower bound";

    public async Task<int> RunAsync(string[] args)
    {
        var workers = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var w) ? w : 100;
        Console.WriteLine($"upgrade v1.27.16 -> v1.28.15, 3 control planes + {workers} workers, PDB-covered workloads (virtual time)");
        Console.WriteLine("max-unavailable | total      | control planes | workers    | lower bound | vs bound | PDB violations | wall");
        TimeSpan? perWorker = null;
        foreach (var batch in new[] { 1, 5, 10, 20 })
        {
            var r = await RunOnce(workers, batch);
            perWorker ??= r.WorkerPhase / workers; // the serial run measures one worker's procedure
            var bound = r.ControlPlanePhase + perWorker.Value * Math.Ceiling(workers / (double)batch);
            Console.WriteLine($"{batch,15} | {Fmt(r.Total),-10} | {Fmt(r.ControlPlanePhase),-14} | {Fmt(r.WorkerPhase),-10} | {Fmt(bound),-11} | {r.Total / bound,7:0.00}x | {r.Violations,14} | {r.Wall.TotalSeconds:0.0}s");
        }
        return 0;
    }

    private sealed record Outcome(TimeSpan Total, TimeSpan ControlPlanePhase, TimeSpan WorkerPhase, int Violations, TimeSpan Wall);

    private static async Task<Outcome> RunOnce(int workers, int batch)
    {
        var wall = Stopwatch.StartNew();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var cluster = new SandboxCluster(clock, new SandboxOptions { Tick = TimeSpan.FromHours(1), MaxGracePeriodSeconds = 10 });
        cluster.LoadList(Scenario(workers));
        cluster.Settle();
        var kube = cluster.CreateClient();
        var events = new List<RolloutEvent>();
        var executor = new RolloutExecutor(kube, new Agents(cluster),
            new NodeDrainerDrainService(new NodeDrainer(kube, clock), new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true }),
            new ConfigMapRunStateStore(kube), NoRunJournal.Instance, new LeaseClusterLock(kube, clock), clock,
            new RolloutOptions { Identity = "bench", RunId = $"bench-{batch}", RecordNodeEvents = false });
        var plan = RolloutPlanner.ForUpgrade(cluster.Objects<Node>(), ["1.28.15"], "1.27.16", batch);
        var start = clock.GetUtcNow();
        var task = executor.StartAsync(plan, new Sync(e => { lock (events) events.Add(e); }), CancellationToken.None);
        while (!task.IsCompleted)
        {
            await Settle(task, () => { lock (events) return cluster.Stats.TotalRequests + events.Count; });
            if (task.IsCompleted) break;
            var next = new[] { clock.NextDue, cluster.NextDue }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(clock.GetUtcNow() + TimeSpan.FromSeconds(1)).Min();
            if (next <= clock.GetUtcNow()) clock.Advance(TimeSpan.Zero); else clock.AdvanceTo(next);
            cluster.RunDue();
        }
        var result = await task;
        if (!result.Succeeded) throw new InvalidOperationException($"batch {batch}: {result.Failure?.Message}");
        var firstWorker = events.First(e => e.Role == NodeRole.Worker && e.Kind == RolloutEventKind.NodeStarted).Time;
        var end = clock.GetUtcNow();
        return new Outcome(end - start, firstWorker - start, end - firstWorker, cluster.Stats.Violations.Count, wall.Elapsed);
    }

    private static async Task Settle(Task task, Func<long> activity)
    {
        var last = activity();
        for (var stable = 0; stable < 2 && !task.IsCompleted;)
        {
            await Task.Delay(1);
            var now = activity();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private static string Fmt(TimeSpan t) => t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>The built-in "ha" scenario widened to N workers, with a 3×N-replica Deployment behind a maxUnavailable 10% PDB.</summary>
    private static string Scenario(int workers)
    {
        var list = JsonNode.Parse(BuiltInScenario.Build("ha"))!.AsObject();
        var kept = new JsonArray();
        JsonObject? worker3 = null, web = null, webPdb = null;
        foreach (var item in list["items"]!.AsArray().Select(i => i!.AsObject()))
        {
            var kind = item["kind"]!.GetValue<string>();
            var name = item["metadata"]!["name"]!.GetValue<string>();
            if (kind == "Pod" && name == "debug-shell") continue;
            if (kind == "PodDisruptionBudget" && name == "payments") { item["spec"]!.AsObject().Remove("minAvailable"); item["spec"]!["maxUnavailable"] = 1; }
            if (kind == "Node" && name == "worker-3") worker3 = item;
            if (kind == "Deployment" && name == "web") web = item;
            if (kind == "PodDisruptionBudget" && name == "web") webPdb = item;
            kept.Add(item.DeepClone());
        }
        var template = worker3!.ToJsonString();
        for (var i = 4; i <= workers; i++)
        {
            var index = 10 + i;
            kept.Add(JsonNode.Parse(template.Replace("\"worker-3\"", $"\"worker-{i}\"", StringComparison.Ordinal)
                .Replace("000000000013", index.ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("000000000113", (100 + index).ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("000000000213", (200 + index).ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace(13.ToString("x32", CultureInfo.InvariantCulture), index.ToString("x32", CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        }
        var api = JsonNode.Parse(web!.ToJsonString().Replace("\"web\"", "\"api\"", StringComparison.Ordinal))!.AsObject();
        api["spec"]!["replicas"] = 3 * workers;
        kept.Add(api);
        var pdb = JsonNode.Parse(webPdb!.ToJsonString().Replace("\"web\"", "\"api\"", StringComparison.Ordinal))!.AsObject();
        pdb["spec"]!["maxUnavailable"] = "10%";
        kept.Add(pdb);
        list["items"] = kept;
        return list.ToJsonString();
    }

    private sealed class Agents(SandboxCluster cluster) : INodeAgentFactory
    {
        public INodeAgent For(string nodeName) => cluster.NodeAgent(nodeName);
    }

    private sealed class Sync(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
