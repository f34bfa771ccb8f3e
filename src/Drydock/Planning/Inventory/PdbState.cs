using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>A PodDisruptionBudget: its selector and budget, and the disruption controller's last status.</summary>
public sealed record PdbState
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>Null selector matches nothing (policy/v1: an empty selector matches every pod in the namespace).</summary>
    public LabelSelector? Selector { get; init; }
    public IntOrString? MinAvailable { get; init; }
    public IntOrString? MaxUnavailable { get; init; }
    /// <summary>IfHealthyBudget (default) or AlwaysAllow.</summary>
    public string? UnhealthyPodEvictionPolicy { get; init; }
    public int DisruptionsAllowed { get; init; }
    public int CurrentHealthy { get; init; }
    public int DesiredHealthy { get; init; }
    public int ExpectedPods { get; init; }

    public string Key => $"{Namespace}/{Name}";
}
