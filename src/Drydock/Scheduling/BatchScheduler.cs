namespace Drydock.Scheduling;

/// <summary>
/// Chooses the batches in which worker nodes are drained and upgraded. Serial and Fixed do what the guides and
/// other tools do (one at a time; N at a time in inventory order). Smart picks each batch so that the pods of one
/// PDB spread over the batch stay within its allowance (or wait a round when that is cheaper than another batch),
/// the evicted pods fit on the nodes that stay schedulable, at most max-unavailable nodes are out, and nodes of
/// similar drain time go together (a batch costs its slowest node) — simulating where evicted pods land before
/// choosing the next batch. Pure: same input, same schedule.
/// </summary>
public static class BatchScheduler
{
    public static BatchSchedule Plan(BatchingInput input, BatchingOptions options)
    {
        if (options.MaxUnavailable < 1) throw new ArgumentOutOfRangeException(nameof(options), "max-unavailable must be at least 1");
        var dense = new DenseInput(input);
        var lowerBound = LowerBounds.Compute(dense, options);
        if (options.Strategy != BatchStrategyKind.Smart)
            return new BatchSchedule { Strategy = options.Strategy, Batches = new ScheduleSimulation(dense, options).InOrder(Size(options)), LowerBound = lowerBound };

        // A heuristic cannot promise to beat every order, so Smart simulates a small portfolio — its greedy with
        // two tolerances for PDB waits, the packing, and the fixed order itself — and keeps the fastest. Every candidate is safe
        // by construction; the choice is only about time, so smart is never slower than fixed.
        // Packing, most often the fastest, is simulated first: every other candidate stops as soon as its batches so
        // far cost more than the best finished one, since it can no longer be chosen. Ties keep the portfolio's order.
        var best = TimeSpan.MaxValue;
        IReadOnlyList<Batch>? Run(Func<ScheduleSimulation, IReadOnlyList<Batch>> schedule, BatchingOptions runOptions)
        {
            var simulation = new ScheduleSimulation(dense, runOptions) { Cutoff = best };
            var batches = schedule(simulation);
            if (simulation.Abandoned) return null;
            if (Total(batches) < best) best = Total(batches);
            return batches;
        }
        var packed = Run(s => s.Packed(), options);
        var strict = new ScheduleSimulation(dense, options) { Cutoff = best };
        var strictBatches = strict.Smart(WaitTolerance.None);
        if (!strict.Abandoned && Total(strictBatches) < best) best = Total(strictBatches);
        // The tolerant greedy repeats the strict one's schedule unless some PDB penalty fell between their limits.
        var tolerant = strict.OtherToleranceDiffers ? Run(s => s.Smart(WaitTolerance.ShareOfBatch), options) : null;
        // Fixed competes only when it is as safe as smart's own batches: no multi-node batch blocked on a PDB with no
        // allowance or stranding a pod (fixed ignores both, and would otherwise win by doing what smart refuses to).
        var inOrder = Run(s => s.InOrder(options.MaxUnavailable), options);
        var candidates = new List<(IReadOnlyList<Batch> Batches, string Note)>();
        if (!strict.Abandoned) candidates.Add((strictBatches, ""));
        if (tolerant is not null) candidates.Add((tolerant, ""));
        if (packed is not null) candidates.Add((packed, ""));
        if (inOrder is not null && inOrder.All(b => b.Nodes.Count == 1 || (b.BlockedBy.Count == 0 && b.Unschedulable.Count == 0)))
            candidates.Add((inOrder, " (inventory order estimated fastest)"));
        // Serial costs at least the sum of the nodes' solo times (each node's drain only gains pods while it waits),
        // so it needs simulating only when the best candidate is not already below that sum.
        if (candidates.Min(c => Total(c.Batches)) > SoloSum(dense, options)
            && Run(s => s.InOrder(1), options with { Strategy = BatchStrategyKind.Serial }) is { } serial)
            candidates.Add((serial, " (serial order estimated fastest)"));
        var chosen = candidates.MinBy(c => Total(c.Batches));
        var batches = chosen.Note.Length == 0 ? chosen.Batches : chosen.Batches.Select(b => b with { Reason = b.Reason + chosen.Note }).ToList();
        return new BatchSchedule { Strategy = BatchStrategyKind.Smart, Batches = batches, LowerBound = lowerBound };
    }

    /// <summary>
    /// What no schedule can beat: the largest of the sorted-solo-times bound (t1 + t[k+1] + …), the PDB-rounds
    /// bound and ceil(nodes / max-unavailable) × the quickest node (see <see cref="LowerBounds"/> for the proofs).
    /// </summary>
    public static TimeSpan LowerBound(BatchingInput input, BatchingOptions options) => LowerBounds.Compute(new DenseInput(input), options);

    /// <summary>The estimated total of draining the given batches in this order (every node once): for tests and benchmarks.</summary>
    internal static TimeSpan Cost(BatchingInput input, BatchingOptions options, IEnumerable<IReadOnlyList<string>> batches) =>
        Total(Simulate(input, options, batches));

    /// <summary>The given batches, in this order, as the simulation sees them (durations, waits, stranded pods).</summary>
    internal static IReadOnlyList<Batch> Simulate(BatchingInput input, BatchingOptions options, IEnumerable<IReadOnlyList<string>> batches) =>
        new ScheduleSimulation(new DenseInput(input), options).Given(batches);

    private static int Size(BatchingOptions options) => options.Strategy == BatchStrategyKind.Serial ? 1 : options.MaxUnavailable;

    private static TimeSpan Total(IReadOnlyList<Batch> batches) => batches.Aggregate(TimeSpan.Zero, (t, b) => t + b.EstimatedDuration);

    private static TimeSpan SoloSum(DenseInput input, BatchingOptions options)
    {
        var evaluator = new BatchEvaluator(input.Budgets, options.Time);
        var total = TimeSpan.Zero;
        for (var i = 0; i < input.Nodes.Length; i++)
        {
            if (!input.Nodes[i].ToBeDrained) continue;
            evaluator.Reset();
            total += evaluator.Peek(input.PodsByNode[i]);
        }
        return total;
    }
}
