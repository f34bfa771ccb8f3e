using System.Diagnostics;
using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube.Models;
using Drydock.Orchestration;
using Drydock.Planning.Inventory;
using Drydock.Sandbox.Cluster;
using Drydock.Scheduling;
using Drydock.Versions;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// `drydock rehearse`: loads a cluster (a Kubernetes List) into a sandbox on a manual clock and runs the same
/// orchestrator as `drydock upgrade` — <see cref="RolloutExecutor"/> with <see cref="NodeDrainer"/>, the run state
/// ConfigMap and the Lease lock, on the sandbox's in-process API and simulated kubeadm nodes — in virtual time.
/// Then reports what happened: the timeline, PDB waits, unschedulable pods, skew and etcd quorum at every moment.
/// </summary>
public static class RehearsalEngine
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Rehearses with the chosen profile, and (when asked) with the low and high profiles for a range.</summary>
    public static RehearsalReport Run(string listJson, string source, RehearsalOptions options, CancellationToken ct = default)
    {
        var report = RunOnce(listJson, source, options, options.StepDurations.Apply(options.Profile), ct);
        if (!options.Range || !report.Finished) return report;
        var low = RunOnce(listJson, source, options, options.StepDurations.Apply(RehearsalProfile.Low), ct).Duration;
        var high = RunOnce(listJson, source, options, options.StepDurations.Apply(RehearsalProfile.High), ct).Duration;
        return report with { DurationLow = Min(low, report.Duration), DurationHigh = Max(high, report.Duration) };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public static RehearsalReport RunOnce(string listJson, string source, RehearsalOptions options, RehearsalProfile profile, CancellationToken ct = default) =>
        RunOnce(listJson, source, options, profile, phaseDone: null, ct);

    /// <summary>As above; <paramref name="phaseDone"/> hears the wall time of each phase (load, settle, snapshot, plan, run, report) — for the benchmark.</summary>
    public static RehearsalReport RunOnce(string listJson, string source, RehearsalOptions options, RehearsalProfile profile,
        Action<string, TimeSpan>? phaseDone, CancellationToken ct = default)
    {
        var wall = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        void Done(string name) { phaseDone?.Invoke(name, phase.Elapsed); phase.Restart(); }
        var clock = new ManualTimeProvider(Epoch);
        using var cluster = new SandboxCluster(clock, profile.ToSandboxOptions());
        try { cluster.LoadList(listJson); }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new DrydockException(new UsageError($"cannot load {source} into the rehearsal sandbox: {e.Message}"), e);
        }
        Done("load");
        cluster.Settle();
        Done("settle");
        var start = clock.GetUtcNow();

        var driver = new VirtualTimeDriver(clock, cluster);
        driver.MarkStart();
        var recorder = new RehearsalRecorder(cluster, start);
        var client = new DriverBoundKubeClient(cluster.CreateClient(), driver, recorder.OnEviction);
        var (plan, reasons, from, to) = ReadAndPlan(cluster, clock, options, Done);
        CompactHeap();
        Done("compact");

        var drain = new NodeDrainerDrainService(new NodeDrainer(client, clock), new DrainOptions
        {
            IgnoreDaemonSets = true, DeleteEmptyDirData = options.DeleteEmptyDirData, Force = options.Force,
        });
        var executor = new RolloutExecutor(client, new DriverBoundAgents(cluster, driver), drain, new ConfigMapRunStateStore(client),
            NoRunJournal.Instance, new LeaseClusterLock(client, clock), clock,
            new RolloutOptions { Identity = "drydock rehearse", RunId = "rehearsal", RecordNodeEvents = false });

        driver.Advanced += recorder.Sample;
        driver.Advanced += BackgroundSweeps();
        var outcome = driver.Run(ct => executor.StartAsync(plan, recorder, ct), start + options.Limit,
            now => ct.IsCancellationRequested ? "interrupted"
                : now - recorder.LastProgress > options.StallLimit ? $"no progress for {options.StallLimit.TotalMinutes:0} min" : null);
        recorder.Detach();
        Done("run");
        var end = outcome.At - start;
        var report = Assemble(source, plan, reasons, from, to, options, profile, recorder, outcome, end, cluster, driver, wall.Elapsed);
        Done("report");
        return report;
    }

    /// <summary>
    /// A background full collection each time the run has allocated 2 GiB more. The run's dead versions outlive gen0
    /// and gen1 (the watch log keeps the last 50,000 changes, the store a pod's version until its next change), and
    /// after the compaction the next gen2 collection is far away: they pile up in gen2 and the heap grows over them,
    /// every fresh page a fault (5,000 nodes: 5.4 GiB committed by the end, 4.5 with the sweeps). A background
    /// collection marks on the core the single-threaded run leaves idle, while the run goes on.
    /// </summary>
    private static Action<DateTimeOffset> BackgroundSweeps()
    {
        const long every = 2L << 30;
        var next = GC.GetTotalAllocatedBytes() + every;
        return _ =>
        {
            if (GC.GetTotalAllocatedBytes() < next) return;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
            next = GC.GetTotalAllocatedBytes() + every;
        };
    }

    /// <summary>
    /// A full compacting collection before the run. The load leaves the List's parse tree and every pod's first
    /// version behind, the snapshot and the plan their working sets; collected as they come, that garbage is spread
    /// over the heap, the live cluster with it, and a gen2 collection falls in the middle of the run. Collected here,
    /// at once, the cluster sits compact and the run meets no blocking full collection (5,000 nodes: run 71 → 60 s of
    /// CPU for a collection of about 2 s).
    /// </summary>
    private static void CompactHeap() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

    /// <summary>Reads the settled cluster as `drydock upgrade` would (the snapshot phase) and plans from it. The snapshot
    /// is dropped here, before the run (its lists and node and workload states; the typed pods stay in the store's
    /// per-version cache until each pod changes): at 5,000 nodes the run then faults 347,000 fresh pages instead of
    /// 466,000.</summary>
    private static (RolloutPlan Plan, IReadOnlyDictionary<(int, int), string> Reasons, string From, string To) ReadAndPlan(
        SandboxCluster cluster, TimeProvider clock, RehearsalOptions options, Action<string> done)
    {
        var snapshot = new ClusterInventory(cluster.CreateClient(), clock).ReadAsync().GetAwaiter().GetResult();
        done("snapshot");
        var planned = BuildPlan(snapshot, cluster.Objects<Node>(), options);
        done("plan");
        return planned;
    }

    private static RehearsalReport Assemble(string source, RolloutPlan plan, IReadOnlyDictionary<(int, int), string> reasons, string from, string to,
        RehearsalOptions options, RehearsalProfile profile, RehearsalRecorder recorder, DriverOutcome<RolloutResult> outcome, TimeSpan end,
        SandboxCluster cluster, VirtualTimeDriver driver, TimeSpan wall)
    {
        var nodes = recorder.Nodes(end);
        var finished = outcome.Task.IsCompletedSuccessfully && outcome.Task.Result.State.Status == RunStatus.Completed;
        var duration = finished ? nodes.Select(n => n.End ?? TimeSpan.Zero).DefaultIfEmpty().Max() : end;
        var starts = recorder.BatchStarts;
        var batches = new List<RehearsedBatch>();
        for (var h = 0; h < plan.Hops.Count; h++)
        {
            var hop = plan.Hops[h];
            for (var b = 0; b < hop.Batches.Count; b++)
            {
                var batch = hop.Batches[b];
                if (!starts.TryGetValue((h, batch.Index), out var s)) continue;
                var next = hop.Batches.Skip(b + 1).Select(x => starts.TryGetValue((h, x.Index), out var ns) ? ns : (TimeSpan?)null).FirstOrDefault(x => x is not null)
                    ?? (h + 1 < plan.Hops.Count ? starts.Where(kv => kv.Key.Hop == h + 1).Select(kv => (TimeSpan?)kv.Value).Min() : null);
                var batchEnd = next ?? (finished ? duration : null);
                batches.Add(new RehearsedBatch(h, batch.Index, batch.Nodes.Select(n => n.Name).ToList(), s, batchEnd, reasons.GetValueOrDefault((h, batch.Index), "")));
            }
        }
        var waits = recorder.PdbWaits;
        string? wouldNot = null;
        if (!finished)
        {
            var open = recorder.OpenWaits;
            wouldNot = open.Count > 0
                ? $"would not finish: the drain of {open[0].Node} waits on PDB {open[0].Pdb} ({open[0].Budget}: {open[0].CurrentHealthy} healthy, {open[0].DesiredHealthy} desired, {open[0].DisruptionsAllowed} disruptions allowed) for {open[0].WaitsFor}"
                : recorder.Failures.Count > 0 ? $"would not finish: {recorder.Failures[0]}"
                : outcome.StoppedBecause is { } why ? $"would not finish: {why}"
                : outcome.Task.Exception is { } ex ? $"would not finish: {ex.InnerException?.Message ?? ex.Message}"
                : "would not finish";
        }
        var unschedulable = recorder.Unschedulable;
        var quorum = recorder.Quorum();
        var findings = new List<string>();
        if (wouldNot is not null) findings.Add(wouldNot);
        foreach (var w in waits) findings.Add($"drain of {w.Node} waits on PDB {w.Pdb} ({w.Budget}) for {w.Pod} from +{Fmt(w.Start)}" + (w.End is { } e ? $" to +{Fmt(e)}" : ", never released"));
        foreach (var u in unschedulable) findings.Add($"pod {u.Pod} unschedulable from +{Fmt(u.Start)}" + (u.End is { } e ? $" to +{Fmt(e)}" : " to the end") + $": {u.Reason}");
        findings.Add(recorder.SkewViolations.Count == 0 ? "version skew: within policy at every moment" : $"version skew: {recorder.SkewViolations.Count} violation(s)");
        if (quorum.Members > 0)
            findings.Add(quorum.QuorumAlwaysKept
                ? $"etcd quorum kept throughout: at least {quorum.MinUp}/{quorum.Members} members up"
                : $"etcd quorum LOST: only {quorum.MinUp}/{quorum.Members} members up at +{Fmt(quorum.MinUpAt ?? TimeSpan.Zero)}");
        return new RehearsalReport
        {
            Source = source, FromVersion = from, ToVersion = to, Strategy = options.Strategy.ToString().ToLowerInvariant(),
            MaxUnavailable = options.MaxUnavailable, Profile = profile.Name, Finished = finished, WouldNotFinish = wouldNot, Start = Epoch,
            Duration = duration, Batches = batches, Nodes = nodes, PdbWaits = waits, Unschedulable = unschedulable,
            SkewViolations = recorder.SkewViolations, Quorum = quorum, Findings = findings,
            Stats = new RehearsalStats(driver.Jumps, wall, cluster.Stats.TotalRequests, cluster.Stats.EvictionsAccepted, cluster.Stats.EvictionsRejected, cluster.Stats.Violations.Count),
        };
    }

    public static string Fmt(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.#}s";

    /// <summary>The orchestrator's own plan (control planes first, one at a time), with the worker batches chosen by the strategy.</summary>
    internal static (RolloutPlan Plan, IReadOnlyDictionary<(int, int), string> Reasons, string From, string To) BuildPlan(
        ClusterSnapshot snapshot, IReadOnlyList<Node> nodes, RehearsalOptions options)
    {
        var current = snapshot.ClusterVersion ?? throw new DrydockException(new UsageError("cannot tell the cluster's version: no kube-apiserver static pod and no kubeadm-config in the snapshot"));
        var target = KubeVersion.TryParse(options.To, out var error) ?? throw new DrydockException(new UsageError($"--to {options.To}: {error}"));
        var (hops, pathError) = UpgradePath.Compute(current, target, new UpgradePathOptions(), _ => null);
        if (pathError is not null) throw new DrydockException(pathError);
        if (hops.Count == 0) throw new DrydockException(new UsageError($"the cluster is already at {current}: nothing to rehearse"));
        var versions = hops.Select(h => Plain(h.To)).ToList();
        var basePlan = RolloutPlanner.ForUpgrade(nodes, versions, Plain(current), options.MaxUnavailable);
        var strategy = new SchedulerBatchStrategy(options.Strategy);
        var reasons = new Dictionary<(int, int), string>();
        var rebuilt = new List<RolloutHop>();
        for (var h = 0; h < basePlan.Hops.Count; h++)
        {
            var hop = basePlan.Hops[h];
            var batches = new List<RolloutBatch>();
            foreach (var b in hop.Batches.Where(b => b.Nodes.All(n => n.Role != NodeRole.Worker)))
            {
                var idx = batches.Count;
                batches.Add(b with { Index = idx });
                reasons[(h, idx)] = ControlPlaneReason(b);
            }
            var workerNames = hop.Batches.SelectMany(b => b.Nodes).Where(n => n.Role == NodeRole.Worker).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            var workers = snapshot.Nodes.Where(n => workerNames.Contains(n.Name)).ToList();
            if (workers.Count > 0)
                foreach (var sb in strategy.Schedule(workers, options.MaxUnavailable, snapshot).Batches)
                {
                    var idx = batches.Count;
                    batches.Add(new RolloutBatch(idx, sb.Nodes.Select(n => new RolloutNode(n, NodeRole.Worker)).ToList()));
                    reasons[(h, idx)] = sb.Reason;
                }
            rebuilt.Add(hop with { Batches = batches });
        }
        return (basePlan with { Hops = rebuilt }, reasons, current.ToString(), target.ToString());
    }

    private static string ControlPlaneReason(RolloutBatch b)
    {
        var stage = b.Stage switch
        {
            BatchStage.ControlPlaneComponents => b.Nodes[0].Role == NodeRole.FirstControlPlane ? "kubeadm upgrade apply" : "kubeadm upgrade node (control-plane components)",
            BatchStage.Kubelet => "kubelet, after every control plane's components (no kubelet newer than an API server)",
            _ => "full procedure",
        };
        return $"control plane, one at a time for etcd quorum: {stage}";
    }

    private static string Plain(KubeVersion v) => v.ToString().TrimStart('v');
}
