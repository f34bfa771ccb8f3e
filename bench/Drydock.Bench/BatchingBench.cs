using System.Diagnostics;
using Drydock.Sandbox.Rehearsal;
using Drydock.Scheduling;

namespace Drydock.Bench;

/// <summary>
/// `batching [--max-unavailable 10] [--no-rehearsal]`: total upgrade time of the worker batches — serial (the guides),
/// fixed (max-unavailable in inventory order), smart, and the lower bound — at 100 and 1,000 workers with a realistic
/// PDB mix (see <see cref="ClusterGenerator"/>). Scheduler estimates for both sizes; for 100 workers also the
/// virtual-time rehearsal of each strategy (the orchestrator itself, on the sandbox). Targets at 100 workers: smart
/// within 1.2× of the lower bound and ≥ 5× faster than serial.
/// </summary>
internal sealed class BatchingBench : IBenchmark
{
    public string Name => "batching";
    public string Description => "Serial vs fixed vs smart vs lower bound at 100 and 1,000 workers (estimates and virtual-time rehearsal)";

    public Task<int> RunAsync(string[] args)
    {
        var maxUnavailable = RehearsalBench.Int(args, "--max-unavailable", 10);
        var rehearse = !args.Contains("--no-rehearsal");
        var ok = true;
        foreach (var workers in new[] { 100, 1000 })
        {
            var list = ClusterGenerator.List(workers, workers * 20, seed: workers);
            var sw = Stopwatch.StartNew();
            // 100 workers: the sandbox places the pods (its scheduler); 1,000: placed by the generator (the sandbox's
            // scheduler takes minutes to place 20,000 pods — see the rehearsal benchmark).
            var input = workers <= 100 ? SnapshotBatching.Input(ClusterGenerator.Settled(list)) : ClusterGenerator.Input(workers, workers * 20, seed: workers);
            Console.WriteLine($"{workers} workers, {input.Pods.Count} movable pods, {input.Budgets.Count} PDBs, max-unavailable {maxUnavailable} (input built in {sw.Elapsed.TotalSeconds:0.0} s)");
            var est = new Dictionary<BatchStrategyKind, BatchSchedule>();
            foreach (var kind in new[] { BatchStrategyKind.Serial, BatchStrategyKind.Fixed, BatchStrategyKind.Smart })
            {
                sw.Restart();
                est[kind] = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = maxUnavailable, Strategy = kind });
                Console.WriteLine($"  estimate {kind,-7} {Fmt(est[kind].EstimatedDuration),10}  ({est[kind].Batches.Count} batches, {est[kind].Batches.Count(b => b.BudgetWaits.Count > 0)} with PDB waits; planned in {sw.Elapsed.TotalMilliseconds:0} ms)");
            }
            var lb = est[BatchStrategyKind.Smart].LowerBound;
            var smart = est[BatchStrategyKind.Smart].EstimatedDuration;
            var serial = est[BatchStrategyKind.Serial].EstimatedDuration;
            Console.WriteLine($"  lower bound      {Fmt(lb),10}");
            Console.WriteLine($"  smart / lower bound {smart / lb:0.00}×   serial / smart {serial / smart:0.0}×   fixed / smart {est[BatchStrategyKind.Fixed].EstimatedDuration / smart:0.00}×");
            if (workers == 100)
            {
                ok &= smart / lb <= 1.2 && serial / smart >= 5;
                if (rehearse) ok &= Rehearse(list, maxUnavailable);
            }
        }
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
}
