using System.Diagnostics;
using Drydock.Sandbox.Rehearsal;
using Drydock.Scheduling;

namespace Drydock.Bench;

/// <summary>
/// `batching [--max-unavailable 10] [--no-rehearsal] [--sizes 100,1000,5000]`: total upgrade time of the worker
/// batches — serial (the guides), fixed (max-unavailable in inventory order), smart, and the lower bound — with a
/// realistic PDB mix (see <see cref="ClusterGenerator"/>): 100 and 1,000 workers at max-unavailable 10, and the
/// 5,000-node rehearsal's input (4,997 workers, 150,000 pods) at 10 % (499). For 100 workers also the virtual-time
/// rehearsal of each strategy (the orchestrator itself, on the sandbox). Targets: at 100 workers smart within 1.2×
/// of the lower bound and ≥ 5× faster than serial; smart never slower than fixed or serial; smart planned in ≤ 2 s
/// at 1,000 workers and ≤ 10 s at 4,997.
/// </summary>
internal sealed class BatchingBench : IBenchmark
{
    public string Name => "batching";
    public string Description => "Serial vs fixed vs smart vs lower bound at 100, 1,000 and 5,000 nodes (estimates and virtual-time rehearsal)";

    public Task<int> RunAsync(string[] args)
    {
        var maxUnavailable = RehearsalBench.Int(args, "--max-unavailable", 10);
        var rehearse = !args.Contains("--no-rehearsal");
        var sizes = Array.IndexOf(args, "--sizes") is var i && i >= 0 && i + 1 < args.Length
            ? args[i + 1].Split(',').Select(int.Parse).ToArray()
            : [100, 1000, 5000];
        var ok = true;
        var rows = new List<string>();
        foreach (var size in sizes)
        {
            var sw = Stopwatch.StartNew();
            // 100 workers: the sandbox places the pods (its scheduler); larger: placed by the generator (the sandbox's
            // scheduler takes minutes to place 20,000 pods — see the rehearsal benchmark). 5,000 is the rehearsal's
            // cluster: 3 control planes + 4,997 workers, 150,000 pods, max-unavailable 10 %.
            var (workers, pods, seed, k) = size >= 5000 ? (size - 3, size * 30, 7, (size - 3) / 10) : (size, size * 20, size, maxUnavailable);
            var list = size <= 100 ? ClusterGenerator.List(workers, pods, seed) : null;
            var input = list is not null ? SnapshotBatching.Input(ClusterGenerator.Settled(list)) : ClusterGenerator.Input(workers, pods, seed);
            Console.WriteLine($"{workers} workers, {input.Pods.Count} movable pods, {input.Budgets.Count} PDBs, max-unavailable {k} (input built in {sw.Elapsed.TotalSeconds:0.0} s)");
            var est = new Dictionary<BatchStrategyKind, BatchSchedule>();
            var ms = new Dictionary<BatchStrategyKind, double>();
            foreach (var kind in new[] { BatchStrategyKind.Serial, BatchStrategyKind.Fixed, BatchStrategyKind.Smart })
            {
                sw.Restart();
                est[kind] = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = k, Strategy = kind });
                ms[kind] = sw.Elapsed.TotalMilliseconds;
                Console.WriteLine($"  estimate {kind,-7} {Fmt(est[kind].EstimatedDuration),10}  ({est[kind].Batches.Count} batches, {est[kind].Batches.Count(b => b.BudgetWaits.Count > 0)} with PDB waits, " +
                                  $"{est[kind].Batches.Sum(b => b.Unschedulable.Count)} pods stranded; planned in {ms[kind]:0} ms)");
            }
            if (Environment.GetEnvironmentVariable("BATCH_DEBUG") is not null) Debug(input, est[BatchStrategyKind.Smart], k);
            var lb = est[BatchStrategyKind.Smart].LowerBound;
            var smart = est[BatchStrategyKind.Smart].EstimatedDuration;
            var serial = est[BatchStrategyKind.Serial].EstimatedDuration;
            var fix = est[BatchStrategyKind.Fixed].EstimatedDuration;
            Console.WriteLine($"  lower bound      {Fmt(lb),10}");
            Console.WriteLine($"  smart / lower bound {smart / lb:0.00}×   serial / smart {serial / smart:0.0}×   fixed / smart {fix / smart:0.00}×");
            rows.Add($"| {workers,5} | {k,3} | {Fmt(serial),8} | {Fmt(fix),8} | {Fmt(smart),8} | {Fmt(lb),8} | {smart / lb,5:0.00}× | {serial / smart,5:0.0}× | {ms[BatchStrategyKind.Smart],7:0} |");
            ok &= smart <= fix && smart <= serial;
            if (workers == 100)
            {
                ok &= smart / lb <= 1.2 && serial / smart >= 5;
                if (rehearse && list is not null) ok &= Rehearse(list, maxUnavailable);
            }
            if (workers == 1000) ok &= ms[BatchStrategyKind.Smart] <= 2000;
            if (size >= 5000) ok &= ms[BatchStrategyKind.Smart] <= 10_000;
        }
        Console.WriteLine("| workers | k | serial | fixed | smart | lower bound | smart/LB | serial/smart | smart plan ms |");
        foreach (var r in rows) Console.WriteLine(r);
        Console.WriteLine(ok ? "targets met" : "targets NOT met");
        return Task.FromResult(ok ? 0 : 1);
    }

    /// <summary>The orchestrator itself in virtual time, per strategy (worker batches only: control planes are the same for all).</summary>
    private static bool Rehearse(string list, int maxUnavailable)
    {
        var results = new Dictionary<BatchStrategyKind, RehearsalReport>();
        foreach (var kind in new[] { BatchStrategyKind.Serial, BatchStrategyKind.Fixed, BatchStrategyKind.Smart })
        {
            var sw = Stopwatch.StartNew();
            results[kind] = RehearsalEngine.RunOnce(list, "generated", new RehearsalOptions
            {
                To = "v1.28.15", MaxUnavailable = maxUnavailable, Strategy = kind, Range = false, Force = true, DeleteEmptyDirData = true,
            }, RehearsalProfile.Typical);
            var r = results[kind];
            Console.WriteLine($"  rehearsal {kind,-7} workers {Fmt(Workers(r)),10} (whole upgrade {Fmt(r.Duration)}, finished {r.Finished}, {r.PdbWaits.Count} PDB waits, " +
                              $"PDB violations {r.Stats.PdbViolations}; {sw.Elapsed.TotalSeconds:0.0} s wall)");
        }
        var smart = Workers(results[BatchStrategyKind.Smart]);
        var serial = Workers(results[BatchStrategyKind.Serial]);
        var perNode = results[BatchStrategyKind.Smart].Nodes.Where(n => n.Role == "Worker" && n.End is not null).Min(n => n.End!.Value - n.Start!.Value);
        var workers = results[BatchStrategyKind.Smart].Nodes.Count(n => n.Role == "Worker");
        var lb = perNode * Math.Ceiling(workers / (double)maxUnavailable);
        Console.WriteLine($"  rehearsal lower bound {Fmt(lb)} (ceil({workers}/{maxUnavailable}) × quickest worker {Fmt(perNode)})");
        Console.WriteLine($"  rehearsal: smart / lower bound {smart / lb:0.00}×   serial / smart {serial / smart:0.0}×   fixed / smart {Workers(results[BatchStrategyKind.Fixed]) / smart:0.00}×");
        return results.Values.All(r => r.Finished && r.Stats.PdbViolations == 0);
    }

    private static TimeSpan Workers(RehearsalReport r)
    {
        var w = r.Nodes.Where(n => n.Role == "Worker").ToList();
        return w.Count == 0 ? TimeSpan.Zero : (w.Max(n => n.End ?? r.Duration) - w.Min(n => n.Start ?? TimeSpan.Zero));
    }

    private static string Fmt(TimeSpan t) => RehearsalEngine.Fmt(t);

    private static void Debug(BatchingInput input, BatchSchedule s, int k)
    {
        var budgets = input.Budgets.ToDictionary(b => b.Id, b => b.AllowedDisruptions);
        var solo = input.Pods.GroupBy(p => p.Node).ToDictionary(g => g.Key, g => BatchEvaluator.Evaluate([g.ToList()], budgets, new NodeTimeModel()).Duration);
        Console.WriteLine("  solo: " + string.Join(" ", solo.Values.GroupBy(t => t.TotalSeconds).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}")));
        foreach (var b in s.Batches.Take(40))
            Console.WriteLine($"  #{b.Index} {b.EstimatedDuration.TotalSeconds}s n={b.Nodes.Count} solo=[{string.Join(",", b.Nodes.Select(n => solo.GetValueOrDefault(n).TotalSeconds))}] waits={b.BudgetWaits.Count} {b.Reason[..Math.Min(200, b.Reason.Length)]}");
    }
}
