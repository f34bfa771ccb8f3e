using Drydock.Kube;

namespace Drydock.Sandbox.Store;

/// <summary>A resource the sandbox serves: where it lives, its discovery entry, and its subresources.</summary>
internal sealed record ServedResource(ResourceKind Kind, string Singular, IReadOnlyList<string> ShortNames, IReadOnlyList<string> Subresources)
{
    /// <summary>Store key: "pods", "deployments.apps" (made once: the store looks its table up by it on every call).</summary>
    public string Key { get; } = Kind.Group.Length == 0 ? Kind.Plural : $"{Kind.Plural}.{Kind.Group}";
    public string ApiVersion => Kind.GroupVersion;
    public string ListKind => Kind.Kind + "List";
    public bool HasSpecGeneration => Kind.Group.Length > 0;

    public static readonly IReadOnlyList<string> Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyList<ServedResource> All { get; } =
    [
        new(ResourceKind.Nodes, "node", ["no"], ["status"]),
        new(ResourceKind.Pods, "pod", ["po"], ["eviction", "status", "binding"]),
        new(ResourceKind.Namespaces, "namespace", ["ns"], ["status"]),
        new(ResourceKind.ConfigMaps, "configmap", ["cm"], []),
        new(ResourceKind.Events, "event", ["ev"], []),
        new(ResourceKind.ReplicationControllers, "replicationcontroller", ["rc"], ["status", "scale"]),
        new(ResourceKind.Deployments, "deployment", ["deploy"], ["status", "scale"]),
        new(ResourceKind.ReplicaSets, "replicaset", ["rs"], ["status", "scale"]),
        new(ResourceKind.StatefulSets, "statefulset", ["sts"], ["status", "scale"]),
        new(ResourceKind.DaemonSets, "daemonset", ["ds"], ["status"]),
        new(ResourceKind.Jobs, "job", [], ["status"]),
        new(ResourceKind.PodDisruptionBudgets, "poddisruptionbudget", ["pdb"], ["status"]),
        new(ResourceKind.Leases, "lease", [], []),
    ];

    private static readonly Dictionary<string, ServedResource> ByKey = All.ToDictionary(r => r.Key);
    private static readonly Dictionary<string, ServedResource> ByKindName = All.ToDictionary(r => r.Kind.Kind);

    public static ServedResource? Find(string group, string version, string plural) =>
        ByKey.TryGetValue(group.Length == 0 ? plural : $"{plural}.{group}", out var r) && r.Kind.Version == version ? r : null;

    public static ServedResource? ForKind(string kind) => ByKindName.GetValueOrDefault(kind);

    /// <summary>Each served resource is one instance of <see cref="All"/>, so identity is equality: <c>r == ServedResource.Pods</c>
    /// runs for every change in every controller, and a record's memberwise comparison of two different resources
    /// walked their fields.</summary>
    public bool Equals(ServedResource? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public static ServedResource Nodes { get; } = ByKey["nodes"];
    public static ServedResource Pods { get; } = ByKey["pods"];
    public static ServedResource Namespaces { get; } = ByKey["namespaces"];
    public static ServedResource ConfigMaps { get; } = ByKey["configmaps"];
    public static ServedResource Events { get; } = ByKey["events"];
    public static ServedResource Deployments { get; } = ByKey["deployments.apps"];
    public static ServedResource ReplicaSets { get; } = ByKey["replicasets.apps"];
    public static ServedResource StatefulSets { get; } = ByKey["statefulsets.apps"];
    public static ServedResource DaemonSets { get; } = ByKey["daemonsets.apps"];
    public static ServedResource Jobs { get; } = ByKey["jobs.batch"];
    public static ServedResource ReplicationControllers { get; } = ByKey["replicationcontrollers"];
    public static ServedResource Pdbs { get; } = ByKey["poddisruptionbudgets.policy"];
    public static ServedResource Leases { get; } = ByKey["leases.coordination.k8s.io"];
}
