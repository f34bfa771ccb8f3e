namespace Drydock.Kube.Models;

/// <summary>The pod template shared by every workload kind.</summary>
public sealed record PodTemplateSpec
{
    public ObjectMeta? Metadata { get; init; }
    public PodSpec? Spec { get; init; }
}

public sealed record Deployment : IKubeObject
{
    public string? ApiVersion { get; init; } = "apps/v1";
    public string? Kind { get; init; } = "Deployment";
    public ObjectMeta Metadata { get; init; } = new();
    public DeploymentSpec? Spec { get; init; }
    public DeploymentStatus? Status { get; init; }
}

public sealed record DeploymentSpec
{
    public int? Replicas { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
    public DeploymentStrategy? Strategy { get; init; }
    public int? MinReadySeconds { get; init; }
    public int? RevisionHistoryLimit { get; init; }
}

public sealed record DeploymentStrategy
{
    public string? Type { get; init; }
    public RollingUpdateDeployment? RollingUpdate { get; init; }
}

public sealed record RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; init; }
    public IntOrString? MaxSurge { get; init; }
}

public sealed record DeploymentStatus
{
    public long? ObservedGeneration { get; init; }
    public int? Replicas { get; init; }
    public int? UpdatedReplicas { get; init; }
    public int? ReadyReplicas { get; init; }
    public int? AvailableReplicas { get; init; }
    public int? UnavailableReplicas { get; init; }
}

public sealed record ReplicaSet : IKubeObject
{
    public string? ApiVersion { get; init; } = "apps/v1";
    public string? Kind { get; init; } = "ReplicaSet";
    public ObjectMeta Metadata { get; init; } = new();
    public ReplicaSetSpec? Spec { get; init; }
    public ReplicaSetStatus? Status { get; init; }
}

public sealed record ReplicaSetSpec
{
    public int? Replicas { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
    public int? MinReadySeconds { get; init; }
}

public sealed record ReplicaSetStatus
{
    public int Replicas { get; init; }
    public int? FullyLabeledReplicas { get; init; }
    public int? ReadyReplicas { get; init; }
    public int? AvailableReplicas { get; init; }
    public long? ObservedGeneration { get; init; }
}

/// <summary>core/v1 ReplicationController (old, still honoured by drain as a controller).</summary>
public sealed record ReplicationController : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "ReplicationController";
    public ObjectMeta Metadata { get; init; } = new();
    public ReplicationControllerSpec? Spec { get; init; }
    public ReplicaSetStatus? Status { get; init; }
}

public sealed record ReplicationControllerSpec
{
    public int? Replicas { get; init; }
    public IReadOnlyDictionary<string, string>? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
}

public sealed record StatefulSet : IKubeObject
{
    public string? ApiVersion { get; init; } = "apps/v1";
    public string? Kind { get; init; } = "StatefulSet";
    public ObjectMeta Metadata { get; init; } = new();
    public StatefulSetSpec? Spec { get; init; }
    public StatefulSetStatus? Status { get; init; }
}

public sealed record StatefulSetSpec
{
    public int? Replicas { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
    public string? ServiceName { get; init; }
    public string? PodManagementPolicy { get; init; }
}

public sealed record StatefulSetStatus
{
    public long? ObservedGeneration { get; init; }
    public int Replicas { get; init; }
    public int? ReadyReplicas { get; init; }
    public int? CurrentReplicas { get; init; }
    public int? UpdatedReplicas { get; init; }
    public int? AvailableReplicas { get; init; }
}

public sealed record DaemonSet : IKubeObject
{
    public string? ApiVersion { get; init; } = "apps/v1";
    public string? Kind { get; init; } = "DaemonSet";
    public ObjectMeta Metadata { get; init; } = new();
    public DaemonSetSpec? Spec { get; init; }
    public DaemonSetStatus? Status { get; init; }
}

public sealed record DaemonSetSpec
{
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
}

public sealed record DaemonSetStatus
{
    public int CurrentNumberScheduled { get; init; }
    public int NumberMisscheduled { get; init; }
    public int DesiredNumberScheduled { get; init; }
    public int NumberReady { get; init; }
    public long? ObservedGeneration { get; init; }
    public int? UpdatedNumberScheduled { get; init; }
    public int? NumberAvailable { get; init; }
    public int? NumberUnavailable { get; init; }
}

public sealed record Job : IKubeObject
{
    public string? ApiVersion { get; init; } = "batch/v1";
    public string? Kind { get; init; } = "Job";
    public ObjectMeta Metadata { get; init; } = new();
    public JobSpec? Spec { get; init; }
    public JobStatus? Status { get; init; }
}

public sealed record JobSpec
{
    public int? Parallelism { get; init; }
    public int? Completions { get; init; }
    public int? BackoffLimit { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplateSpec? Template { get; init; }
}

public sealed record JobStatus
{
    public int? Active { get; init; }
    public int? Succeeded { get; init; }
    public int? Failed { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? CompletionTime { get; init; }
}
