using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Everything the planner needs, read before planning: the node's pods, what became of each DaemonSet that owns
/// one of them, the PodDisruptionBudgets with their status, and "now". The planner does no I/O.
/// </summary>
public sealed record NodeDrainSnapshot
{
    public required string NodeName { get; init; }
    public IReadOnlyList<Pod> Pods { get; init; } = [];

    /// <summary>Lookup result per DaemonSet, keyed "namespace/name". Missing key = not looked up (treated as found).</summary>
    public IReadOnlyDictionary<string, DaemonSetLookup> DaemonSets { get; init; } = new Dictionary<string, DaemonSetLookup>();

    /// <summary>PDBs of the namespaces the pods live in (all of them is fine; non-matching ones are ignored).</summary>
    public IReadOnlyList<PodDisruptionBudget> Pdbs { get; init; } = [];

    /// <summary>All pods the PDBs may cover, on any node (for "healthy pods elsewhere"). Null = unknown.</summary>
    public IReadOnlyList<Pod>? ClusterPods { get; init; }

    public required DateTimeOffset Now { get; init; }

    public static string Key(string? ns, string name) => $"{ns}/{name}";
}

/// <summary>What a GET of a pod's owning DaemonSet returned.</summary>
public sealed record DaemonSetLookup(DaemonSetLookupOutcome Outcome, string? Error = null)
{
    public static readonly DaemonSetLookup Found = new(DaemonSetLookupOutcome.Found);
    /// <summary>404; <paramref name="error"/> is the server's text, e.g. <c>daemonsets.apps "gone" not found</c>.</summary>
    public static DaemonSetLookup NotFound(string error) => new(DaemonSetLookupOutcome.NotFound, error);
    public static DaemonSetLookup Failed(string error) => new(DaemonSetLookupOutcome.Failed, error);
}

public enum DaemonSetLookupOutcome { Found, NotFound, Failed }
