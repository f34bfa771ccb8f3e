using Drydock.Kube.Models;

namespace Drydock.Scheduling;

/// <summary>
/// Where pods are and how much room each node has left, with the kube-scheduler's fit rules (requests vs
/// allocatable, nodeSelector, NoSchedule/NoExecute taints) and its default LeastAllocated preference for picking
/// among fitting nodes. Mutable on purpose: the scheduler simulates batch after batch on one instance.
/// A batch is built incrementally (<see cref="Drain"/> adds nodes to the open batch and re-places what they
/// evict), can be rolled back to a <see cref="Checkpoint"/>, and is then committed or discarded — so trying one
/// more node costs that node's pods, not a re-simulation of the whole batch. Nodes and budgets are dense ids
/// (see <see cref="DenseInput"/>).
/// </summary>
internal sealed partial class Placement
{
    private const int SpreadCandidates = 8;
    private readonly BatchNode[] _nodes;
    private readonly int[] _nameRank;
    /// <summary>Each node's allocatable, copied out of the node records: read for every candidate of every pod.</summary>
    private readonly Resources[] _allocatable;
    /// <summary>Nodes with a NoSchedule or NoExecute taint: only there can a pod's tolerations matter.</summary>
    private readonly bool[] _repels;
    private readonly Resources[] _used;
    private readonly List<DensePod>[] _pods;
    /// <summary>Bumped whenever a node's pod list changes: lets callers cache what they derive from it.</summary>
    private readonly int[] _podsVersion;
    /// <summary>Pods of each budget per node, committed plus the open batch's tentative moves (spreading).</summary>
    private readonly NodeBudgetCounts _budgetCount;
    /// <summary>1 / the largest allocatable CPU and memory: a pod fits only on a node scoring ≥ its requests times these (null when a node has none).</summary>
    private readonly (double Cpu, double Memory)? _fitFloor;
    /// <summary>The smallest request of any pod: a node with less room than this is no target for anyone (kept out of the heap).</summary>
    private readonly Resources _smallest;

    public Placement(DenseInput input)
    {
        _nodes = input.Nodes;
        _nameRank = input.NameRank;
        _repels = [.. _nodes.Select(n => n.Taints.Any(t => t.Effect is "NoSchedule" or "NoExecute"))];
        _allocatable = [.. _nodes.Select(n => n.Allocatable)];
        _used = new Resources[_nodes.Length];
        _pods = new List<DensePod>[_nodes.Length];
        _podsVersion = new int[_nodes.Length];
        _drained = new bool[_nodes.Length];
        _tentative = new List<DensePod>?[_nodes.Length];
        _budgetCount = new NodeBudgetCounts(_nodes.Length);
        for (var i = 0; i < _nodes.Length; i++)
        {
            _used[i] = _nodes[i].Reserved;
            _pods[i] = [.. input.PodsByNode[i]];
            foreach (var p in _pods[i])
            {
                _used[i] += p.Requests;
                foreach (var b in p.Budgets) CountBudget(i, b, +1);
            }
        }
        var pods = input.Input.Pods;
        _smallest = pods.Count == 0 ? default : new Resources(pods.Min(p => p.Requests.MilliCpu), pods.Min(p => p.Requests.MemoryBytes), pods.Min(p => p.Requests.Pods));
        if (_nodes.Length > 0 && _nodes.All(n => n.Allocatable.MilliCpu > 0 && n.Allocatable.MemoryBytes > 0))
            _fitFloor = (1.0 / _nodes.Max(n => n.Allocatable.MilliCpu), 1.0 / _nodes.Max(n => n.Allocatable.MemoryBytes));
        _heap = new NodeHeap(_nameRank);
        for (var i = 0; i < _nodes.Length; i++) Refresh(i);
    }

    public IReadOnlyList<DensePod> PodsOn(int node) => _pods[node];

    /// <summary>Changes whenever <see cref="PodsOn"/> of the node changes.</summary>
    public int PodsVersion(int node) => _podsVersion[node];

    private void CountBudget(int node, int budget, int delta) => _budgetCount.Add(node, budget, delta);

    private int BudgetCount(int node, int budget) => _budgetCount.Get(node, budget);

    // LeastAllocated: prefer the node with the largest free share of CPU and memory.
    private double Score(int i)
    {
        var alloc = _allocatable[i];
        var room = alloc - _used[i];
        return Share(room.MilliCpu, alloc.MilliCpu) + Share(room.MemoryBytes, alloc.MemoryBytes);
    }

    private static double Share(long free, long total) => total <= 0 ? 0 : (double)free / total;

    /// <summary>Selector, affinity and taints; a plain pod on a node without repelling taints matches without looking.</summary>
    private bool Matches(DensePod pod, int node) => (pod.Plain && !_repels[node]) || Matches(pod.Pod, _nodes[node]);

    public static bool Matches(BatchPod pod, BatchNode node)
    {
        if (pod.NodeSelector is { } sel)
            foreach (var (k, v) in sel)
                if (!node.Labels.TryGetValue(k, out var have) || have != v) return false;
        if (pod.RequiredNodeAffinity is { } affinity && !Planning.Scheduling.NodeFit.MatchesNode(
                new Planning.Inventory.PodState { Namespace = "", Name = "", RequiredNodeAffinity = affinity }, node.Labels, node.Name))
            return false;
        // Indexed loops: this runs for every pod and candidate node of every batch, and enumerating the lists through
        // their interfaces allocated an enumerator (and a closure) each time.
        for (var i = 0; i < node.Taints.Count; i++)
        {
            var taint = node.Taints[i];
            if (taint.Effect is not ("NoSchedule" or "NoExecute")) continue;
            if (!Tolerated(pod.Tolerations, taint)) return false;
        }
        return true;
    }

    private static bool Tolerated(IReadOnlyList<Toleration>? tolerations, Taint taint)
    {
        if (tolerations is null) return false;
        for (var i = 0; i < tolerations.Count; i++)
            if (Tolerates(tolerations[i], taint)) return true;
        return false;
    }

    /// <summary>core/v1 Toleration.ToleratesTaint: empty key with Exists matches every taint; empty effect matches every effect.</summary>
    public static bool Tolerates(Toleration t, Taint taint)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != taint.Effect) return false;
        if (string.IsNullOrEmpty(t.Key)) return t.Operator == "Exists";
        if (t.Key != taint.Key) return false;
        return t.Operator == "Exists" || (t.Value ?? "") == (taint.Value ?? "");
    }
}
