using Drydock.Kube.Models;
using Drydock.Planning.Inventory;
using Drydock.Planning.Scheduling;

namespace Drydock.Planning.Preflight;

/// <summary>
/// Lookups built once per snapshot so checks stay linear: pods by node, pods by namespace, pods by
/// (namespace, label key, label value), and each PDB's matching pods. A PDB's candidates come from its most
/// selective matchLabels bucket, so 10,000 PDBs over 150,000 pods cost about as much as their matches, not their product.
/// </summary>
public sealed class ClusterIndex
{
    private readonly Dictionary<string, List<PodState>> byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PodState>> byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Key, string Value), List<PodState>> byLabel = new();
    private readonly Dictionary<PdbState, IReadOnlyList<PodState>> pdbPods = new(ReferenceEqualityComparer.Instance);
    private Dictionary<PodState, List<PdbState>>? podPdbs;

    public ClusterSnapshot Snapshot { get; }
    public IReadOnlyDictionary<string, NodeState> Nodes { get; }

    public ClusterIndex(ClusterSnapshot snapshot)
    {
        Snapshot = snapshot;
        var nodes = new Dictionary<string, NodeState>(StringComparer.Ordinal);
        foreach (var n in snapshot.Nodes) nodes.TryAdd(n.Name, n);
        Nodes = nodes;
        // Only label keys some PDB selects on by matchLabels are indexed: a fraction of all labels on big clusters.
        var selectedKeys = new HashSet<string>(snapshot.Pdbs.SelectMany(p => p.Selector?.MatchLabels?.Keys ?? []), StringComparer.Ordinal);
        foreach (var p in snapshot.Pods)
        {
            if (p.NodeName is not null) Get(byNode, p.NodeName).Add(p);
            Get(byNamespace, p.Namespace).Add(p);
            if (selectedKeys.Count == 0) continue;
            foreach (var (k, v) in p.Labels)
            {
                if (!selectedKeys.Contains(k)) continue;
                var key = (p.Namespace, k, v);
                if (!byLabel.TryGetValue(key, out var list)) byLabel[key] = list = [];
                list.Add(p);
            }
        }
        foreach (var pdb in snapshot.Pdbs) pdbPods[pdb] = Match(pdb);
    }

    public IReadOnlyList<PodState> PodsOn(string node) => byNode.TryGetValue(node, out var l) ? l : [];

    /// <summary>Pods the PDB's selector matches in its namespace (all phases; callers filter).</summary>
    public IReadOnlyList<PodState> PodsOf(PdbState pdb) => pdbPods.TryGetValue(pdb, out var l) ? l : [];

    /// <summary>The PDBs selecting a pod (the reverse map is built on first use).</summary>
    public IReadOnlyList<PdbState> PdbsOf(PodState pod)
    {
        if (podPdbs is null)
        {
            podPdbs = new Dictionary<PodState, List<PdbState>>(ReferenceEqualityComparer.Instance);
            foreach (var (pdb, pods) in pdbPods)
                foreach (var p in pods)
                {
                    if (!podPdbs.TryGetValue(p, out var l)) podPdbs[p] = l = [];
                    l.Add(pdb);
                }
        }
        return podPdbs.TryGetValue(pod, out var list) ? list : [];
    }

    private List<PodState> Match(PdbState pdb)
    {
        if (pdb.Selector is null) return [];
        IReadOnlyList<PodState>? candidates = null;
        if (pdb.Selector.MatchLabels is { Count: > 0 } ml)
        {
            foreach (var (k, v) in ml)
            {
                var bucket = byLabel.TryGetValue((pdb.Namespace, k, v), out var b) ? b : [];
                if (candidates is null || bucket.Count < candidates.Count) candidates = bucket;
                if (bucket.Count == 0) break;
            }
        }
        candidates ??= byNamespace.TryGetValue(pdb.Namespace, out var all) ? all : [];
        var result = new List<PodState>();
        foreach (var p in candidates)
            if (LabelSelectorMatcher.Matches(pdb.Selector, p.Labels)) result.Add(p);
        return result;
    }

    private static List<PodState> Get(Dictionary<string, List<PodState>> d, string key)
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = [];
        return l;
    }
}
