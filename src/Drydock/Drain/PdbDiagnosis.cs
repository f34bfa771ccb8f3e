namespace Drydock.Drain;

/// <summary>
/// One PodDisruptionBudget that covers pods on the node being drained, with its numbers and a plain verdict —
/// what kubectl hides behind "will retry after 5s".
/// </summary>
public sealed record PdbDiagnosis
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string? MinAvailable { get; init; }
    public string? MaxUnavailable { get; init; }
    public int CurrentHealthy { get; init; }
    public int DesiredHealthy { get; init; }
    public int ExpectedPods { get; init; }
    public int DisruptionsAllowed { get; init; }
    /// <summary>Pods of this budget on the node that the drain would evict ("ns/name").</summary>
    public IReadOnlyList<string> PodsOnNode { get; init; } = [];
    /// <summary>Healthy pods of this budget on this node (when every healthy pod is here, none can come up elsewhere first).</summary>
    public int HealthyPodsOnNode { get; init; }
    public PdbOutlook Outlook { get; init; }
    /// <summary>A sentence saying what happens and, when blocked, what would unblock it.</summary>
    public required string Explanation { get; init; }

    public string FullName => $"{Namespace}/{Name}";

    /// <summary>"minAvailable 2, healthy 2/3 (desired 2), disruptions allowed 0".</summary>
    public string Numbers =>
        $"{(MinAvailable is not null ? $"minAvailable {MinAvailable}" : $"maxUnavailable {MaxUnavailable ?? "?"}")}, " +
        $"healthy {CurrentHealthy}/{ExpectedPods} (desired {DesiredHealthy}), disruptions allowed {DisruptionsAllowed}";
}

public enum PdbOutlook
{
    /// <summary>Enough disruptions allowed for every pod of this budget on the node.</summary>
    Allows,
    /// <summary>Some evictions will be refused until replacements become healthy elsewhere.</summary>
    WillWait,
    /// <summary>No eviction can ever be allowed without a change to the budget or the workload.</summary>
    CannotFinish,
}
