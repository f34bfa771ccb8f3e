namespace Drydock.Drain;

/// <summary>The outcome of draining one node; <see cref="Error"/> is null exactly when it succeeded.</summary>
public sealed record NodeDrainResult
{
    public required string Node { get; init; }
    public DryRunMode DryRun { get; init; }
    /// <summary>The plan the drain acted on. Its <see cref="DrainPlan.Pdbs"/> may be empty although budgets cover
    /// the pods: with <see cref="PdbDiagnosisTiming.OnRefusal"/>, or <see cref="PdbDiagnosisTiming.Auto"/> without a
    /// progress observer and without --fail-fast-on-pdb, budgets are read only when one refuses an eviction.</summary>
    public DrainPlan? Plan { get; init; }
    /// <summary>Pods removed through the Eviction API, with the time from request to gone.</summary>
    public IReadOnlyList<PodOutcome> Evicted { get; init; } = [];
    /// <summary>Pods removed with DELETE (--disable-eviction or no eviction API).</summary>
    public IReadOnlyList<PodOutcome> Deleted { get; init; } = [];
    public IReadOnlyList<SkippedPod> Skipped { get; init; } = [];
    public IReadOnlyList<FailedPod> Failed { get; init; } = [];
    /// <summary>On failure: pods still on the node that the drain would remove (a fresh re-list), "ns/name".</summary>
    public IReadOnlyList<string> PendingPods { get; init; } = [];
    public TimeSpan Duration { get; init; }
    public DrainError? Error { get; init; }

    public bool Succeeded => Error is null;
}

public sealed record PodOutcome(PodRef Pod, TimeSpan Took);

public sealed record FailedPod(PodRef Pod, string Reason);
