namespace Drydock.Kube;

/// <summary>Where a resource lives in the API: group, version, plural, kind, and whether it is namespaced.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. /api/v1/namespaces/ns/pods or /apis/apps/v1/daemonsets (all namespaces).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(ns)
            ? $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}"
            : $"{root}/{Plural}";
    }

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public static readonly ResourceKind Nodes = new("", "v1", "nodes", "Node", false);
    public static readonly ResourceKind Pods = new("", "v1", "pods", "Pod", true);
    public static readonly ResourceKind Namespaces = new("", "v1", "namespaces", "Namespace", false);
    public static readonly ResourceKind ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceKind Events = new("", "v1", "events", "Event", true);
    public static readonly ResourceKind ReplicationControllers = new("", "v1", "replicationcontrollers", "ReplicationController", true);
    public static readonly ResourceKind Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceKind ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    public static readonly ResourceKind StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly ResourceKind DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly ResourceKind Jobs = new("batch", "v1", "jobs", "Job", true);
    public static readonly ResourceKind PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true);
    public static readonly ResourceKind Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);

    public static IReadOnlyList<ResourceKind> All { get; } =
        [Nodes, Pods, Namespaces, ConfigMaps, Events, ReplicationControllers, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, PodDisruptionBudgets, Leases];

    /// <summary>Finds a kind by its Kind name ("Pod") as it appears in a List's items.</summary>
    public static ResourceKind? ForKind(string kind) => All.FirstOrDefault(k => k.Kind == kind);
}
