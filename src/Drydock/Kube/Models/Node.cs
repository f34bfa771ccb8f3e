namespace Drydock.Kube.Models;

public sealed record Node : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Node";
    public ObjectMeta Metadata { get; init; } = new();
    public NodeSpec? Spec { get; init; }
    public NodeStatus? Status { get; init; }
}

public sealed record NodeSpec
{
    public string? PodCIDR { get; init; }
    public IReadOnlyList<string>? PodCIDRs { get; init; }
    public string? ProviderID { get; init; }
    public bool? Unschedulable { get; init; }
    public IReadOnlyList<Taint>? Taints { get; init; }
}

public sealed record Taint
{
    public required string Key { get; init; }
    public string? Value { get; init; }
    /// <summary>NoSchedule, PreferNoSchedule, NoExecute.</summary>
    public required string Effect { get; init; }
    public DateTimeOffset? TimeAdded { get; init; }
}

public sealed record NodeStatus
{
    public IReadOnlyDictionary<string, string>? Capacity { get; init; }
    public IReadOnlyDictionary<string, string>? Allocatable { get; init; }
    public IReadOnlyList<NodeCondition>? Conditions { get; init; }
    public IReadOnlyList<NodeAddress>? Addresses { get; init; }
    public NodeDaemonEndpoints? DaemonEndpoints { get; init; }
    public NodeSystemInfo? NodeInfo { get; init; }
}

public sealed record NodeCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? LastHeartbeatTime { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

public sealed record NodeAddress
{
    public required string Type { get; init; }
    public required string Address { get; init; }
}

public sealed record NodeDaemonEndpoints
{
    public DaemonEndpoint? KubeletEndpoint { get; init; }
}

public sealed record DaemonEndpoint
{
    [System.Text.Json.Serialization.JsonPropertyName("Port")]
    public int Port { get; init; }
}

/// <summary>status.nodeInfo — every field is required by the API.</summary>
public sealed record NodeSystemInfo
{
    public string MachineID { get; init; } = "";
    public string SystemUUID { get; init; } = "";
    public string BootID { get; init; } = "";
    public string KernelVersion { get; init; } = "";
    public string OsImage { get; init; } = "";
    public string ContainerRuntimeVersion { get; init; } = "";
    public string KubeletVersion { get; init; } = "";
    public string KubeProxyVersion { get; init; } = "";
    public string OperatingSystem { get; init; } = "";
    public string Architecture { get; init; } = "";
}
