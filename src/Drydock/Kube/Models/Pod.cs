namespace Drydock.Kube.Models;

public sealed record Pod : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Pod";
    public ObjectMeta Metadata { get; init; } = new();
    public PodSpec? Spec { get; init; }
    public PodStatus? Status { get; init; }
}

public sealed record PodSpec
{
    public string? NodeName { get; init; }
    public IReadOnlyList<Container> Containers { get; init; } = [];
    public IReadOnlyList<Container>? InitContainers { get; init; }
    public IReadOnlyList<Volume>? Volumes { get; init; }
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    public IReadOnlyList<Toleration>? Tolerations { get; init; }
    public Affinity? Affinity { get; init; }
    public long? TerminationGracePeriodSeconds { get; init; }
    public string? PriorityClassName { get; init; }
    public int? Priority { get; init; }
    public string? RestartPolicy { get; init; }
    public string? SchedulerName { get; init; }
    public string? ServiceAccountName { get; init; }
    public bool? HostNetwork { get; init; }
    public string? Hostname { get; init; }
    public string? Subdomain { get; init; }
}

public sealed record Container
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public ResourceRequirements? Resources { get; init; }
}

public sealed record ResourceRequirements
{
    public IReadOnlyDictionary<string, string>? Requests { get; init; }
    public IReadOnlyDictionary<string, string>? Limits { get; init; }
}

public sealed record Volume
{
    public required string Name { get; init; }
    public EmptyDirVolumeSource? EmptyDir { get; init; }
    public HostPathVolumeSource? HostPath { get; init; }
    public ConfigMapVolumeSource? ConfigMap { get; init; }
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }
}

public sealed record EmptyDirVolumeSource
{
    public string? Medium { get; init; }
    public string? SizeLimit { get; init; }
}

public sealed record HostPathVolumeSource
{
    public required string Path { get; init; }
    public string? Type { get; init; }
}

public sealed record ConfigMapVolumeSource
{
    public string? Name { get; init; }
}

public sealed record PersistentVolumeClaimVolumeSource
{
    public required string ClaimName { get; init; }
    public bool? ReadOnly { get; init; }
}

public sealed record Toleration
{
    public string? Key { get; init; }
    /// <summary>Exists or Equal (default).</summary>
    public string? Operator { get; init; }
    public string? Value { get; init; }
    public string? Effect { get; init; }
    public long? TolerationSeconds { get; init; }
}

public sealed record Affinity
{
    public NodeAffinity? NodeAffinity { get; init; }
}

public sealed record NodeAffinity
{
    public NodeSelector? RequiredDuringSchedulingIgnoredDuringExecution { get; init; }
}

public sealed record NodeSelector
{
    public IReadOnlyList<NodeSelectorTerm> NodeSelectorTerms { get; init; } = [];
}

public sealed record NodeSelectorTerm
{
    public IReadOnlyList<NodeSelectorRequirement>? MatchExpressions { get; init; }
    public IReadOnlyList<NodeSelectorRequirement>? MatchFields { get; init; }
}

public sealed record NodeSelectorRequirement
{
    public required string Key { get; init; }
    /// <summary>In, NotIn, Exists, DoesNotExist, Gt, Lt.</summary>
    public required string Operator { get; init; }
    public IReadOnlyList<string>? Values { get; init; }
}

public sealed record PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed, Unknown.</summary>
    public string? Phase { get; init; }
    public IReadOnlyList<PodCondition>? Conditions { get; init; }
    public string? HostIP { get; init; }
    public string? PodIP { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public IReadOnlyList<ContainerStatus>? ContainerStatuses { get; init; }
    public string? QosClass { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

public sealed record PodCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? LastProbeTime { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

public sealed record ContainerStatus
{
    public required string Name { get; init; }
    public bool Ready { get; init; }
    public int RestartCount { get; init; }
    public string Image { get; init; } = "";
    public string ImageID { get; init; } = "";
    public string? ContainerID { get; init; }
    public bool? Started { get; init; }
}
