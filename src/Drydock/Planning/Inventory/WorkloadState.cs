using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>A Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController, reduced to what planning reads.</summary>
public sealed record WorkloadState
{
    public required string Kind { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string Uid { get; init; } = "";
    /// <summary>spec.replicas (DaemonSet: desiredNumberScheduled; Job: parallelism).</summary>
    public int Replicas { get; init; }
    public int ReadyReplicas { get; init; }
    public LabelSelector? Selector { get; init; }
    public string? Image { get; init; }
    /// <summary>The controller owner (a ReplicaSet's Deployment).</summary>
    public OwnerRef? Owner { get; init; }
}
