using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>The typed API objects a snapshot is built from, however they were read (file or live).</summary>
public sealed record KubeObjectSet
{
    public IReadOnlyList<Node> Nodes { get; init; } = [];
    public IReadOnlyList<Pod> Pods { get; init; } = [];
    public IReadOnlyList<PodDisruptionBudget> Pdbs { get; init; } = [];
    public IReadOnlyList<Deployment> Deployments { get; init; } = [];
    public IReadOnlyList<ReplicaSet> ReplicaSets { get; init; } = [];
    public IReadOnlyList<StatefulSet> StatefulSets { get; init; } = [];
    public IReadOnlyList<DaemonSet> DaemonSets { get; init; } = [];
    public IReadOnlyList<Job> Jobs { get; init; } = [];
    public IReadOnlyList<ReplicationController> ReplicationControllers { get; init; } = [];
    public IReadOnlyList<ConfigMap> ConfigMaps { get; init; } = [];
    /// <summary>Every object's apiVersion/kind/name and its last-applied apiVersion, including kinds not typed above.</summary>
    public IReadOnlyList<ObjectApiVersion> ApiVersions { get; init; } = [];
}

/// <summary>How one object is served and, when known, how it was last applied.</summary>
public sealed record ObjectApiVersion(string ApiVersion, string Kind, string Name, string? LastAppliedApiVersion);
