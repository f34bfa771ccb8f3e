using Drydock.Kube.Models;

namespace Drydock.Scheduling;

/// <summary>
/// Where pods are and how much room each node has left, with the kube-scheduler's fit rules (requests vs
/// allocatable, nodeSelector, NoSchedule/NoExecute taints) and its default LeastAllocated preference for picking
/// among fitting nodes. Mutable on purpose: the scheduler simulates batch after batch on one instance.
/// </summary>
internal sealed class Placement
{
    private const int SpreadCandidates = 8;
    private readonly Dictionary<string, BatchNode> _nodes;
    private readonly Dictionary<string, Resources> _used = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<BatchPod>> _podsByNode = new(StringComparer.Ordinal);

    public Placement(BatchingInput input)
    {
        _nodes = input.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var n in input.Nodes) { _used[n.Name] = n.Reserved; _podsByNode[n.Name] = []; }
        foreach (var p in input.Pods)
        {
            if (!_podsByNode.TryGetValue(p.Node, out var list)) continue; // pod on a node we were not told about
            list.Add(p);
            _used[p.Node] += p.Requests;
        }
    }

    public IReadOnlyList<BatchPod> PodsOn(string node) => _podsByNode.TryGetValue(node, out var l) ? l : [];

    /// <summary>
    /// Places the pods evicted from <paramref name="drained"/> on the other schedulable nodes, largest first, each
    /// on the fitting node with the most free room (a max-heap, so a batch costs O(pods · log nodes)).
    /// Returns the moves and the pods that fit nowhere. With <paramref name="commit"/> false nothing changes.
    /// </summary>
    public (IReadOnlyList<(BatchPod Pod, string Target)> Moves, IReadOnlyList<BatchPod> Homeless) Evict(IReadOnlyCollection<string> drained, bool commit)
    {
        var free = new Dictionary<string, Resources>(StringComparer.Ordinal);
        var heap = new PriorityQueue<string, (double, string)>(Comparer<(double Score, string Name)>.Create(
            (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Name, b.Name)));
        foreach (var (name, node) in _nodes)
        {
            if (node.Unschedulable || drained.Contains(name)) continue;
            free[name] = node.Allocatable - _used[name];
            heap.Enqueue(name, (Score(name, free[name]), name));
        }
        var moves = new List<(BatchPod, string)>();
        var homeless = new List<BatchPod>();
        var evicted = drained.SelectMany(PodsOn)
            .OrderByDescending(p => p.Requests.MilliCpu).ThenByDescending(p => p.Requests.MemoryBytes).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        var skipped = new List<string>();
        // Spreading (the scheduler's default PodTopologySpread by hostname): among fitting nodes, prefer those
        // holding fewer pods of the same budget. Looked at among the few best-scored candidates to stay cheap.
        var budgetCount = new Dictionary<(string Node, string Budget), int>();
        foreach (var (name, list) in _podsByNode)
            if (free.ContainsKey(name))
                foreach (var p in list) foreach (var b in p.Budgets) budgetCount[(name, b)] = budgetCount.GetValueOrDefault((name, b)) + 1;
        var candidates = new List<string>();
        foreach (var pod in evicted)
        {
            string? target = null;
            while (candidates.Count < SpreadCandidates && heap.TryDequeue(out var name, out _))
            {
                if (pod.Requests.Fits(free[name]) && Matches(pod, _nodes[name])) candidates.Add(name);
                else skipped.Add(name);
            }
            if (candidates.Count > 0)
            {
                target = candidates
                    .OrderBy(n => pod.Budgets.Sum(b => budgetCount.GetValueOrDefault((n, b))))
                    .ThenByDescending(n => Score(n, free[n]))
                    .ThenBy(n => n, StringComparer.Ordinal)
                    .First();
            }
            if (target is null) homeless.Add(pod);
            else
            {
                free[target] -= pod.Requests;
                moves.Add((pod, target));
                foreach (var b in pod.Budgets) budgetCount[(target, b)] = budgetCount.GetValueOrDefault((target, b)) + 1;
            }
            foreach (var c in candidates) heap.Enqueue(c, (Score(c, free[c]), c));
            foreach (var s in skipped) heap.Enqueue(s, (Score(s, free[s]), s));
            candidates.Clear();
            skipped.Clear();
        }
        if (commit)
        {
            foreach (var (pod, target) in moves)
            {
                _podsByNode[pod.Node].Remove(pod);
                _used[pod.Node] -= pod.Requests;
                var moved = pod with { Node = target };
                _podsByNode[target].Add(moved);
                _used[target] += moved.Requests;
            }
        }
        return (moves, homeless);
    }

    // LeastAllocated: prefer the node with the largest free share of CPU and memory.
    private double Score(string name, Resources room)
    {
        var alloc = _nodes[name].Allocatable;
        return Share(room.MilliCpu, alloc.MilliCpu) + Share(room.MemoryBytes, alloc.MemoryBytes);
    }

    private static double Share(long free, long total) => total <= 0 ? 0 : (double)free / total;

    public static bool Matches(BatchPod pod, BatchNode node)
    {
        if (pod.NodeSelector is { } sel)
            foreach (var (k, v) in sel)
                if (!node.Labels.TryGetValue(k, out var have) || have != v) return false;
        if (pod.RequiredNodeAffinity is { } affinity && !Planning.Scheduling.NodeFit.MatchesNode(
                new Planning.Inventory.PodState { Namespace = "", Name = "", RequiredNodeAffinity = affinity }, node.Labels, node.Name))
            return false;
        foreach (var taint in node.Taints)
        {
            if (taint.Effect is not ("NoSchedule" or "NoExecute")) continue;
            if (!(pod.Tolerations ?? []).Any(t => Tolerates(t, taint))) return false;
        }
        return true;
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
