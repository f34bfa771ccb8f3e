namespace Drydock.Scheduling;

/// <summary>
/// Chooses the batches in which worker nodes are drained and upgraded. Serial and Fixed do what the guides and
/// other tools do (one at a time; N at a time in inventory order). Smart picks each batch so that the pods of one
/// PDB spread over the batch stay within its allowance, the evicted pods fit on the nodes that stay schedulable,
/// and at most max-unavailable nodes are out — simulating where evicted pods land before choosing the next batch.
/// Pure: same input, same schedule.
/// </summary>
public static class BatchScheduler
{
    public static BatchSchedule Plan(BatchingInput input, BatchingOptions options)
    {
        if (options.MaxUnavailable < 1) throw new ArgumentOutOfRangeException(nameof(options), "max-unavailable must be at least 1");
        var lowerBound = LowerBound(input, options);
        if (options.Strategy != BatchStrategyKind.Smart)
            return new BatchSchedule { Strategy = options.Strategy, Batches = Simulate(input, options, seedOrder: null), LowerBound = lowerBound };

        // A heuristic cannot promise to beat every order, so Smart simulates a small portfolio — quickest nodes
        // first, most budget-constrained first, and plain serial order — and keeps the fastest. Every candidate is
        // safe by construction; the choice is only about time.
        var candidates = new List<(IReadOnlyList<Batch> Batches, string Note)>
        {
            (Simulate(input, options, SeedOrder.QuickestFirst), ""),
            (Simulate(input, options, SeedOrder.MostConstrainedFirst), ""),
            (Simulate(input, options with { Strategy = BatchStrategyKind.Serial }, seedOrder: null), " (serial order estimated fastest)"),
        };
        var best = candidates.MinBy(c => Total(c.Batches));
        var batches = best.Note.Length == 0 ? best.Batches : best.Batches.Select(b => b with { Reason = b.Reason + best.Note }).ToList();
        return new BatchSchedule { Strategy = BatchStrategyKind.Smart, Batches = batches, LowerBound = lowerBound };
    }

    private static TimeSpan Total(IReadOnlyList<Batch> batches) => batches.Aggregate(TimeSpan.Zero, (t, b) => t + b.EstimatedDuration);

    private enum SeedOrder { QuickestFirst, MostConstrainedFirst }

    private static IReadOnlyList<Batch> Simulate(BatchingInput input, BatchingOptions options, SeedOrder? seedOrder)
    {
        var placement = new Placement(input);
        var budgets = input.Budgets.ToDictionary(b => b.Id, b => b.AllowedDisruptions, StringComparer.Ordinal);
        var todo = input.Nodes.Where(n => n.ToBeDrained).Select(n => n.Name).ToList();
        var batches = new List<Batch>();
        var size = options.Strategy == BatchStrategyKind.Serial ? 1 : options.MaxUnavailable;

        while (todo.Count > 0)
        {
            var (members, reason) = seedOrder is { } order
                ? ChooseSmart(todo, size, placement, budgets, options.Time, order)
                : (todo.Take(size).ToList(), options.Strategy == BatchStrategyKind.Serial ? "one node at a time (serial)" : $"next {Math.Min(size, todo.Count)} in inventory order (fixed)");
            var eval = BatchEvaluator.Evaluate(members, placement, budgets, options.Time);
            batches.Add(new Batch
            {
                Index = batches.Count + 1,
                Nodes = members,
                EstimatedDuration = eval.Duration,
                Reason = reason,
                BudgetWaits = eval.Waits,
                BlockedBy = eval.Blocked,
                Unschedulable = eval.Homeless,
            });
            placement.Evict(members, commit: true);
            todo.RemoveAll(members.Contains);
        }
        return batches;
    }

    private static TimeSpan RoundCost(NodeTimeModel time) => time.PodStart + BatchEvaluator.EvictionRetry;

    /// <summary>Cheap pre-check: would adding <paramref name="node"/> put more healthy pods of one budget in the batch than it allows?</summary>
    private static bool SharesExhaustedBudget(List<string> members, string node, Placement placement, IReadOnlyDictionary<string, int> budgets)
    {
        var added = placement.PodsOn(node).Where(p => p.Healthy).SelectMany(p => p.Budgets).ToList();
        if (added.Count == 0) return false;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var b in members.SelectMany(placement.PodsOn).Where(p => p.Healthy).SelectMany(p => p.Budgets).Concat(added))
            counts[b] = counts.GetValueOrDefault(b) + 1;
        return added.Distinct(StringComparer.Ordinal).Any(b => counts[b] > budgets.GetValueOrDefault(b, int.MaxValue));
    }

    /// <summary>ceil(nodes / max-unavailable) × the shortest time any single node can take.</summary>
    public static TimeSpan LowerBound(BatchingInput input, BatchingOptions options)
    {
        var nodes = input.Nodes.Where(n => n.ToBeDrained).Select(n => n.Name).ToList();
        if (nodes.Count == 0) return TimeSpan.Zero;
        var graceByNode = input.Pods.GroupBy(p => p.Node).ToDictionary(g => g.Key, g => g.Max(p => p.GracePeriod));
        var shortest = nodes.Min(n => options.Time.FixedPerNode + graceByNode.GetValueOrDefault(n, TimeSpan.Zero));
        var batches = (nodes.Count + options.MaxUnavailable - 1) / options.MaxUnavailable;
        return shortest * batches;
    }

    private static (List<string> Members, string Reason) ChooseSmart(
        List<string> todo, int size, Placement placement, IReadOnlyDictionary<string, int> budgets, NodeTimeModel time, SeedOrder seedOrder)
    {
        // Nodes that cannot drain on their own (a budget with no allowance) go last and alone, so they do not hold
        // other nodes hostage. QuickestFirst: once upgraded and empty, quick nodes are where the scheduler
        // (LeastAllocated) puts the pods evicted later, so those pods are not evicted twice. MostConstrainedFirst
        // (Welsh–Powell): the hardest node seeds each batch and the easy ones fill it.
        var solo = todo.ToDictionary(n => n, n => BatchEvaluator.Evaluate([n], placement, budgets, time, withCapacity: false), StringComparer.Ordinal);
        var index = todo.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var order = todo
            .OrderBy(n => solo[n].Blocked.Count > 0)
            .ThenBy(n => seedOrder == SeedOrder.QuickestFirst ? solo[n].Duration.Ticks : 0)
            .ThenByDescending(n => BatchEvaluator.Pressure(n, placement, budgets))
            .ThenBy(n => index[n])
            .ToList();
        var seed = order[0];
        var members = new List<string> { seed };
        if (solo[seed].Blocked.Count > 0)
            return (members, $"{seed} alone and last: its drain waits on {string.Join(", ", solo[seed].Blocked)} (no disruption allowed)");
        var seedEval = BatchEvaluator.Evaluate([seed], placement, budgets, time);
        if (seedEval.Waits.Count > 0)
            return (members, $"{seed} alone: its own pods exceed the allowance of {string.Join(", ", seedEval.Waits)}, so its drain waits for replacements");
        var skipped = 0;
        // Extra time (over the seed alone) the batch may take: at most what the added nodes would cost in batches of their own.
        var batchDuration = seedEval.Duration;
        var perNodeShare = seedEval.Duration / size;
        var waits = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var n in order.Skip(1))
        {
            if (members.Count >= size) break;
            if (solo[n].Blocked.Count > 0) continue;
            var trial = new List<string>(members) { n };
            // Sharing a budget with the batch makes its drain wait a round (a replacement start + a retry). Worth it
            // when that costs less than the node's share of a batch of its own; never when it strands a pod.
            var shares = SharesExhaustedBudget(members, n, placement, budgets);
            if (shares && RoundCost(time) > perNodeShare) { skipped++; continue; }
            var eval = BatchEvaluator.Evaluate(trial, placement, budgets, time);
            if (eval.Blocked.Count > 0 || eval.Homeless.Count > seedEval.Homeless.Count || eval.Duration - batchDuration > perNodeShare) { skipped++; continue; }
            batchDuration = eval.Duration;
            waits.UnionWith(eval.Waits);
            members = trial;
        }
        var reason = members.Count == 1
            ? skipped > 0 ? $"{seed} alone: draining it with any other node would exceed a PDB's allowance or capacity"
              : size == 1 ? $"{seed}: quickest safe node next (max-unavailable 1)" : $"{seed}: last node"
            : $"{string.Join(", ", members)} together: " + (waits.Count == 0
                ? "their pods' PDBs stay within allowance and evicted pods fit elsewhere"
                : $"evicted pods fit elsewhere; {waits.Count} shared PDB(s) make the drains wait a round for replacements, cheaper than another batch")
              + (skipped > 0 ? $" ({skipped} other node(s) left for later: shared PDBs or capacity)" : "");
        return (members, reason);
    }
}
