namespace Drydock.Kube.Models;

public sealed record PodDisruptionBudget : IKubeObject
{
    public string? ApiVersion { get; init; } = "policy/v1";
    public string? Kind { get; init; } = "PodDisruptionBudget";
    public ObjectMeta Metadata { get; init; } = new();
    public PodDisruptionBudgetSpec? Spec { get; init; }
    public PodDisruptionBudgetStatus? Status { get; init; }
}

public sealed record PodDisruptionBudgetSpec
{
    public IntOrString? MinAvailable { get; init; }
    public IntOrString? MaxUnavailable { get; init; }
    public LabelSelector? Selector { get; init; }
    /// <summary>IfHealthyBudget (default) or AlwaysAllow (KEP-3017).</summary>
    public string? UnhealthyPodEvictionPolicy { get; init; }
}

/// <summary>Status fields the disruption controller maintains; all four counts are required by the API.</summary>
public sealed record PodDisruptionBudgetStatus
{
    public long? ObservedGeneration { get; init; }
    public IReadOnlyDictionary<string, DateTimeOffset>? DisruptedPods { get; init; }
    public int DisruptionsAllowed { get; init; }
    public int CurrentHealthy { get; init; }
    public int DesiredHealthy { get; init; }
    public int ExpectedPods { get; init; }
    public IReadOnlyList<Condition>? Conditions { get; init; }
}

/// <summary>metav1.Condition.</summary>
public sealed record Condition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public long? ObservedGeneration { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

/// <summary>policy/v1 Eviction, POSTed to pods/NAME/eviction.</summary>
public sealed record Eviction
{
    public string ApiVersion { get; init; } = "policy/v1";
    public string Kind { get; init; } = "Eviction";
    public ObjectMeta Metadata { get; init; } = new();
    public DeleteOptions? DeleteOptions { get; init; }
}

public sealed record DeleteOptions
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    /// <summary>Null means "use the object's own grace period".</summary>
    public long? GracePeriodSeconds { get; init; }
    public Preconditions? Preconditions { get; init; }
    public string? PropagationPolicy { get; init; }
    public IReadOnlyList<string>? DryRun { get; init; }
}

public sealed record Preconditions
{
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
}
