namespace Drydock.Kube.Models;

public sealed record ConfigMap : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "ConfigMap";
    public ObjectMeta Metadata { get; init; } = new();
    public IReadOnlyDictionary<string, string>? Data { get; init; }
    /// <summary>Base64 values (the API's []byte).</summary>
    public IReadOnlyDictionary<string, string>? BinaryData { get; init; }
}

public sealed record Namespace : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Namespace";
    public ObjectMeta Metadata { get; init; } = new();
    public NamespaceStatus? Status { get; init; }
}

public sealed record NamespaceStatus
{
    public string? Phase { get; init; }
}

/// <summary>coordination.k8s.io/v1 Lease — Drydock's cluster-wide lock.</summary>
public sealed record Lease : IKubeObject
{
    public string? ApiVersion { get; init; } = "coordination.k8s.io/v1";
    public string? Kind { get; init; } = "Lease";
    public ObjectMeta Metadata { get; init; } = new();
    public LeaseSpec? Spec { get; init; }
}

public sealed record LeaseSpec
{
    public string? HolderIdentity { get; init; }
    public int? LeaseDurationSeconds { get; init; }
    /// <summary>MicroTime (RFC 3339 with microseconds).</summary>
    public DateTimeOffset? AcquireTime { get; init; }
    public DateTimeOffset? RenewTime { get; init; }
    public int? LeaseTransitions { get; init; }
}

/// <summary>core/v1 Event.</summary>
public sealed record Event : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Event";
    public ObjectMeta Metadata { get; init; } = new();
    public ObjectReference InvolvedObject { get; init; } = new();
    public string? Reason { get; init; }
    public string? Message { get; init; }
    /// <summary>Normal or Warning.</summary>
    public string? Type { get; init; }
    public EventSource? Source { get; init; }
    public DateTimeOffset? FirstTimestamp { get; init; }
    public DateTimeOffset? LastTimestamp { get; init; }
    public int? Count { get; init; }
    public string? ReportingComponent { get; init; }
    public string? ReportingInstance { get; init; }
}

public sealed record ObjectReference
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public string? Uid { get; init; }
}

public sealed record EventSource
{
    public string? Component { get; init; }
    public string? Host { get; init; }
}

/// <summary>metav1.Status — the shape of every API error.</summary>
public sealed record Status
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Status";
    public ListMeta? Metadata { get; init; }
    /// <summary>Success or Failure.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("status")]
    public string? StatusValue { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public int? Code { get; init; }
}

public sealed record StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Uid { get; init; }
    public IReadOnlyList<StatusCause>? Causes { get; init; }
    public int? RetryAfterSeconds { get; init; }
}

public sealed record StatusCause
{
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? Field { get; init; }
}

/// <summary>GET /version.</summary>
public sealed record VersionInfo
{
    public string Major { get; init; } = "";
    public string Minor { get; init; } = "";
    public string GitVersion { get; init; } = "";
    public string GitCommit { get; init; } = "";
    public string GitTreeState { get; init; } = "";
    public string BuildDate { get; init; } = "";
    public string GoVersion { get; init; } = "";
    public string Compiler { get; init; } = "";
    public string Platform { get; init; } = "";
}
