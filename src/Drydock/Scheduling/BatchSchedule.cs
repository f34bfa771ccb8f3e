namespace Drydock.Scheduling;

/// <summary>One batch: the nodes drained together, why, how long it is expected to take, and what it cannot do.</summary>
public sealed record Batch
{
    public required int Index { get; init; }
    public required IReadOnlyList<string> Nodes { get; init; }
    public required TimeSpan EstimatedDuration { get; init; }
    /// <summary>One line explaining the choice (shown with -v).</summary>
    public required string Reason { get; init; }
    /// <summary>PDBs whose allowance this batch exceeds: the drain will wait on them (never violate them).</summary>
    public IReadOnlyList<string> BudgetWaits { get; init; } = [];
    /// <summary>PDBs with no allowance at all: the drain of these nodes cannot finish.</summary>
    public IReadOnlyList<string> BlockedBy { get; init; } = [];
    /// <summary>Pods that would find no node with room, a matching selector and tolerated taints.</summary>
    public IReadOnlyList<string> Unschedulable { get; init; } = [];
}

public sealed record BatchSchedule
{
    public required BatchStrategyKind Strategy { get; init; }
    public required IReadOnlyList<Batch> Batches { get; init; }
    public TimeSpan EstimatedDuration => Batches.Aggregate(TimeSpan.Zero, (t, b) => t + b.EstimatedDuration);
    /// <summary>What no schedule can beat (see BatchScheduler.LowerBound): sorted solo times, PDB rounds, ceil(nodes / max-unavailable) × quickest node.</summary>
    public required TimeSpan LowerBound { get; init; }
    public bool HasBlockers => Batches.Any(b => b.BlockedBy.Count > 0 || b.Unschedulable.Count > 0);
}
