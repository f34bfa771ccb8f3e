namespace Drydock.Scheduling;

/// <summary>
/// What no schedule of the nodes to drain, in batches of at most k = max-unavailable, can beat under the
/// <see cref="BatchEvaluator"/> time model. The bound is the largest of three valid bounds:
/// <list type="number">
/// <item><b>Sorted solo times.</b> Let t(v) be node v's solo time (its drain alone, on the initial placement) and sort
/// t1 ≥ t2 ≥ … ≥ tN. (i) A node's pods at its drain are a superset of its initial pods (pods only leave a node when
/// it is drained; evicted pods only arrive), and a batch's time is monotone in its pods (longest grace; rounds =
/// ceil(count / allowance) per PDB), so every batch costs at least the largest t(v) of its members. (ii) Sort any
/// schedule's batches by that largest member, descending: B1, B2, …. Batches 1..j-1 hold at most (j-1)k nodes, so
/// one of the (j-1)k+1 nodes with the largest t sits in a batch Bm with m ≥ j, hence max(Bj) ≥ max(Bm) ≥
/// t[(j-1)k+1]. There are at least ceil(N/k) batches, so the total is ≥ t1 + t[k+1] + t[2k+1] + …</item>
/// <item><b>PDB rounds.</b> A PDB with allowance a ≥ 1 and n healthy pods on nodes to drain evicts each of them at
/// least once (the node is drained at some point), so over all batches Σ ceil(c_j/a) ≥ m = ceil(n/a) rounds. A
/// batch with r ≥ 2 rounds costs ≥ F + g + R(r-1) (F fixed per node, g the PDB's shortest grace, R = pod start +
/// eviction retry), and every batch costs ≥ tN. Hence cost_j ≥ tN + R·(r_j − r0)⁺ with r0 = max(1, 1 + (tN − F −
/// g)/R), and over B batches total ≥ B·tN + R·(m − B·r0)⁺, minimised over B ≥ ceil(N/k) (convex in B).</item>
/// <item>ceil(N/k) × tN, the old bound (implied by the first; kept as the floor).</item>
/// </list>
/// PDBs with no allowance add no time in the model (the drain is reported blocked), so they add nothing here.
/// </summary>
internal static class LowerBounds
{
    public static TimeSpan Compute(DenseInput input, BatchingOptions options)
    {
        var k = options.MaxUnavailable;
        var drained = Enumerable.Range(0, input.Nodes.Length).Where(i => input.Nodes[i].ToBeDrained).ToList();
        if (drained.Count == 0) return TimeSpan.Zero;
        var evaluator = new BatchEvaluator(input.Budgets, options.Time);
        var solo = new List<TimeSpan>(drained.Count);
        foreach (var n in drained)
        {
            evaluator.Reset();
            solo.Add(evaluator.Peek(input.PodsByNode[n]));
        }
        return Max(SortedSolo(solo, k), PdbRounds(drained.SelectMany(n => input.PodsByNode[n]), input.Budgets, solo.Min(), drained.Count, k, options.Time));
    }

    /// <summary>t1 + t[k+1] + t[2k+1] + … of the solo times sorted descending.</summary>
    public static TimeSpan SortedSolo(IReadOnlyList<TimeSpan> solo, int k)
    {
        var sorted = solo.OrderDescending().ToList();
        var total = TimeSpan.Zero;
        for (var j = 0; j < sorted.Count; j += k) total += sorted[j];
        return total;
    }

    /// <summary>The largest PDB-rounds bound over the budgets with an allowance.</summary>
    public static TimeSpan PdbRounds(IEnumerable<DensePod> podsOnDrainedNodes, BudgetIndex budgets, TimeSpan quickest, int nodes, int k, NodeTimeModel time)
    {
        var minBatches = (long)((nodes + k - 1) / k);
        var best = quickest * minBatches;
        var round = BatchEvaluator.RoundCost(time).Ticks;
        if (round <= 0) return best;
        // Per budget: its healthy pods on the nodes to drain and their shortest grace period.
        var pods = new long[budgets.Count];
        var shortest = new TimeSpan[budgets.Count];
        foreach (var p in podsOnDrainedNodes)
        {
            if (!p.Healthy) continue;
            foreach (var b in p.Budgets)
            {
                shortest[b] = pods[b] == 0 || p.GracePeriod < shortest[b] ? p.GracePeriod : shortest[b];
                pods[b]++;
            }
        }
        for (var b = 0; b < budgets.Count; b++)
        {
            var allowed = budgets.Allowed(b);
            if (pods[b] == 0 || allowed <= 0 || allowed == int.MaxValue) continue;
            var rounds = (pods[b] + allowed - 1) / allowed;
            var c = (time.FixedPerNode + shortest[b]).Ticks;
            // R·r0 = max(R, tN − c + R): the rounds a batch absorbs without costing more than the quickest node.
            var slack = Math.Max(round, quickest.Ticks - c + round);
            long Bound(long b) => b * quickest.Ticks + Math.Max(0, round * rounds - b * slack);
            var breakpoint = round * rounds / slack;
            var min = new[] { minBatches, Math.Max(minBatches, breakpoint), Math.Max(minBatches, breakpoint + 1) }.Min(Bound);
            if (min > best.Ticks) best = TimeSpan.FromTicks(min);
        }
        return best;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
