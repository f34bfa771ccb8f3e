namespace Drydock.Scheduling;

/// <summary>How much longer than its slowest node a smart batch may take to fit one more node that shares a PDB.</summary>
internal enum WaitTolerance
{
    /// <summary>Never: a node whose PDBs would make the batch wait goes to a later batch.</summary>
    None,
    /// <summary>The node's share of a batch of its own (the batch's time / max-unavailable): cheaper than another batch.</summary>
    ShareOfBatch,
}

/// <summary>
/// One run of a schedule on its own <see cref="Placement"/>: batches are drained one after another and the evicted
/// pods land where the scheduler would put them, so each batch sees the cluster its predecessors left behind.
/// </summary>
internal sealed partial class ScheduleSimulation(BatchingInput input, BatchingOptions options)
{
    private readonly Placement _placement = new(input);
    private readonly IReadOnlyDictionary<string, int> _budgets = input.Budgets.ToDictionary(b => b.Id, b => b.AllowedDisruptions, StringComparer.Ordinal);
    private readonly List<string> _todo = [.. input.Nodes.Where(n => n.ToBeDrained).Select(n => n.Name)];
    private readonly List<Batch> _batches = [];

    /// <summary>Serial (size 1) and fixed: the next <paramref name="size"/> nodes in inventory order.</summary>
    public IReadOnlyList<Batch> InOrder(int size)
    {
        var reason = size == 1 ? "one node at a time (serial)" : null;
        while (_todo.Count > 0)
        {
            var members = _todo.Take(size).ToList();
            _placement.Drain(members);
            Close(members, reason ?? $"next {members.Count} in inventory order (fixed)");
        }
        return _batches;
    }

    /// <summary>Exactly the given batches, in order.</summary>
    public IReadOnlyList<Batch> Given(IEnumerable<IReadOnlyList<string>> batches)
    {
        foreach (var members in batches)
        {
            _placement.Drain(members);
            Close(members, "given");
        }
        return _batches;
    }

    /// <summary>Records the open batch (already drained in <see cref="_placement"/>) and lets it happen.</summary>
    private Batch Close(IReadOnlyList<string> members, string reason)
    {
        var eval = BatchEvaluator.Evaluate(members.Select(_placement.PodsOn), _budgets, options.Time);
        var batch = new Batch
        {
            Index = _batches.Count + 1,
            Nodes = [.. members],
            EstimatedDuration = eval.Duration,
            Reason = reason,
            BudgetWaits = eval.Waits,
            BlockedBy = eval.Blocked,
            Unschedulable = [.. _placement.OpenHomeless.Select(p => p.Key)],
        };
        _batches.Add(batch);
        _placement.Commit();
        var done = members.ToHashSet(StringComparer.Ordinal);
        _todo.RemoveAll(done.Contains);
        return batch;
    }
}
