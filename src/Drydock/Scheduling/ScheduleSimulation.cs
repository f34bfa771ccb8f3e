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
/// Nodes are ids into <see cref="DenseInput.Nodes"/> (inventory order), names only in the batches it records.
/// </summary>
internal sealed partial class ScheduleSimulation(DenseInput input, BatchingOptions options)
{
    private readonly Placement _placement = new(input);
    private readonly List<int> _todo = [.. Enumerable.Range(0, input.Nodes.Length).Where(i => input.Nodes[i].ToBeDrained)];
    private readonly bool[] _done = new bool[input.Nodes.Length];
    private readonly List<Batch> _batches = [];
    /// <summary>Reused batch after batch (<see cref="BatchEvaluator.Reset"/>): a batch of hundreds of nodes grows its tables to thousands of budgets.</summary>
    private readonly BatchEvaluator _closeEvaluator = new(input.Budgets, options.Time);
    private readonly BatchEvaluator _batchEvaluator = new(input.Budgets, options.Time);

    /// <summary>The batches closed so far, added up.</summary>
    private TimeSpan _closedTotal;

    /// <summary>
    /// A portfolio candidate whose batches cost more than this cannot be chosen (a batch never costs less than
    /// nothing, so the total only grows): the run stops as soon as its closed batches pass it, <see cref="Abandoned"/>.
    /// </summary>
    public TimeSpan Cutoff { get; init; } = TimeSpan.MaxValue;

    /// <summary>The run stopped early: its schedule would cost more than <see cref="Cutoff"/>; its batches are incomplete.</summary>
    public bool Abandoned => _closedTotal > Cutoff;

    /// <summary>Serial (size 1) and fixed: the next <paramref name="size"/> nodes in inventory order.</summary>
    public IReadOnlyList<Batch> InOrder(int size)
    {
        var reason = size == 1 ? "one node at a time (serial)" : null;
        while (_todo.Count > 0 && !Abandoned)
        {
            var members = _todo.Take(size).ToList();
            _placement.Drain(members);
            Close(members, reason ?? $"next {members.Count} in inventory order (fixed)");
        }
        return _batches;
    }

    /// <summary>Exactly the given batches, in order (names the input does not know drain nothing and cost nothing).</summary>
    public IReadOnlyList<Batch> Given(IEnumerable<IReadOnlyList<string>> batches)
    {
        foreach (var names in batches)
        {
            var members = names.Where(input.NodeIndex.ContainsKey).Select(n => input.NodeIndex[n]).ToList();
            _placement.Drain(members);
            Close(members, "given", names);
        }
        return _batches;
    }

    private string Name(int node) => input.Nodes[node].Name;

    private string Names(IEnumerable<int> nodes) => string.Join(", ", nodes.Select(Name));

    /// <summary>Records the open batch (already drained in <see cref="_placement"/>) and lets it happen.</summary>
    private Batch Close(IReadOnlyList<int> members, string reason, IReadOnlyList<string>? names = null)
    {
        var eval = _closeEvaluator;
        eval.Reset();
        foreach (var m in members) eval.Add(_placement.PodsOn(m));
        var result = eval.Result();
        var batch = new Batch
        {
            Index = _batches.Count + 1,
            Nodes = names is null ? [.. members.Select(Name)] : [.. names],
            EstimatedDuration = result.Duration,
            Reason = reason,
            BudgetWaits = result.Waits,
            BlockedBy = result.Blocked,
            Unschedulable = [.. _placement.OpenHomeless.Select(p => p.Pod.Key)],
        };
        _batches.Add(batch);
        _closedTotal += batch.EstimatedDuration;
        _placement.Commit();
        foreach (var m in members) _done[m] = true;
        _todo.RemoveAll(n => _done[n]);
        return batch;
    }
}
