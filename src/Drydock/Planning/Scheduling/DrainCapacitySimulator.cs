using Drydock.Planning.Inventory;

namespace Drydock.Planning.Scheduling;

/// <summary>A pod that found no node when its node was drained, and why.</summary>
public sealed record UnplacedPod(PodState Pod, string Reason);

/// <summary>The outcome of draining one set of nodes in the simulation.</summary>
public sealed record DrainFitResult(IReadOnlyList<string> DrainedNodes, int MovedPods, IReadOnlyList<UnplacedPod> Unplaced);

/// <summary>
/// Simulates successive drains (pure): the evictable pods of each drained set must fit on the other schedulable,
/// Ready nodes — requests against allocatable minus what is already requested there, nodeSelector, required node
/// affinity, NoSchedule/NoExecute taints vs tolerations. Pods that moved stay where they landed; drained nodes come
/// back empty (their kubelet was upgraded and they were uncordoned) and pods left Pending are scheduled again, so
/// later drains see the cluster as it will be. Only controller-managed pods need a place: DaemonSet and mirror pods
/// stay, finished pods are gone, and unmanaged pods are deleted by drain --force and not recreated.
/// <para>Placement follows kube-scheduler's default LeastAllocated scoring closely enough for a capacity verdict:
/// the node with the most free CPU that passes the filters. Nodes are grouped into classes by labels (hostname aside),
/// taints and cordon; a pod is tested against each class once, and each class keeps a max-heap of free CPU, so a
/// placement costs O(log nodes). Pods pinned to a node by hostname are checked node by node.</para>
/// </summary>
public sealed class DrainCapacitySimulator
{
    /// <summary>Candidates popped per class before giving up on memory/pod-slot misfits (largest free CPU first).</summary>
    private const int MaxMisfitsPerClass = 32;

    private readonly List<NodeState> nodes;
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly ResourceAmounts[] used;
    private readonly List<PodState>[] podsOn;
    private readonly List<NodeClass> classes = [];
    private readonly int[] classOf;
    private readonly int[] stamp;
    private readonly bool[] draining;
    private readonly List<(int Node, int Stamp, long Priority)> aside = [];

    private sealed class NodeClass(int representative, int readyNodes)
    {
        public int Representative { get; } = representative;
        /// <summary>Ready members not being drained right now.</summary>
        public int Available { get; set; } = readyNodes;
        /// <summary>Node index and stamp; priority = −free CPU. Stale entries (old stamp) are skipped when popped.</summary>
        public PriorityQueue<(int Node, int Stamp), long> Heap { get; } = new();
    }

    public DrainCapacitySimulator(ClusterSnapshot snapshot)
    {
        nodes = snapshot.Nodes.ToList();
        used = new ResourceAmounts[nodes.Count];
        podsOn = new List<PodState>[nodes.Count];
        classOf = new int[nodes.Count];
        stamp = new int[nodes.Count];
        draining = new bool[nodes.Count];
        for (var i = 0; i < nodes.Count; i++) { index.TryAdd(nodes[i].Name, i); podsOn[i] = []; }
        foreach (var p in snapshot.Pods)
        {
            if (p.NodeName is null || p.IsFinished || !index.TryGetValue(p.NodeName, out var n)) continue;
            used[n] += p.Requests;
            podsOn[n].Add(p);
        }
        var bySignature = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var sig = Signature(nodes[i]);
            if (!bySignature.TryGetValue(sig, out var list)) bySignature[sig] = list = [];
            list.Add(i);
        }
        foreach (var list in bySignature.Values)
        {
            var cls = new NodeClass(list[0], list.Count(i => nodes[i].Ready));
            foreach (var i in list) { classOf[i] = classes.Count; cls.Heap.Enqueue((i, 0), -Free(i).CpuMilli); }
            classes.Add(cls);
        }
    }

    /// <summary>Drains <paramref name="nodeNames"/> together; the pods that found a place move there.</summary>
    public DrainFitResult Drain(IReadOnlyList<string> nodeNames)
    {
        var drained = nodeNames.Where(index.ContainsKey).Select(n => index[n]).Distinct().ToList();
        foreach (var d in drained)
        {
            draining[d] = true;
            if (nodes[d].Ready) classes[classOf[d]].Available--;
        }
        var moving = new List<PodState>();
        foreach (var d in drained)
            foreach (var p in podsOn[d])
                if (!p.IsMirror && !p.IsDaemonSetPod && p.Controller is not null) moving.Add(p);
        moving.Sort((a, b) => b.Requests.CpuMilli != a.Requests.CpuMilli
            ? b.Requests.CpuMilli.CompareTo(a.Requests.CpuMilli) : b.Requests.MemoryBytes.CompareTo(a.Requests.MemoryBytes));

        var unplaced = new List<UnplacedPod>();
        var moved = 0;
        foreach (var pod in moving)
        {
            var (target, reason) = Place(pod);
            if (target < 0) { unplaced.Add(new UnplacedPod(pod, reason)); continue; }
            Assign(target, pod);
            moved++;
        }
        foreach (var d in drained)
        {
            // The node comes back after its upgrade with what does not move: mirror and DaemonSet pods.
            podsOn[d].RemoveAll(p => !p.IsMirror && !p.IsDaemonSetPod);
            used[d] = podsOn[d].Aggregate(ResourceAmounts.Zero, (acc, p) => acc + p.Requests);
            draining[d] = false;
            if (nodes[d].Ready) classes[classOf[d]].Available++;
            Touch(d);
        }
        // Pods left Pending during the drain are scheduled once the nodes are back (often onto them).
        foreach (var u in unplaced)
        {
            var (target, _) = Place(u.Pod);
            if (target >= 0) Assign(target, u.Pod);
        }
        return new DrainFitResult(drained.Select(i => nodes[i].Name).ToList(), moved, unplaced);
    }

    private ResourceAmounts Free(int i) => nodes[i].Allocatable - used[i];

    private void Assign(int node, PodState pod)
    {
        used[node] += pod.Requests;
        podsOn[node].Add(pod);
        Touch(node);
    }

    private void Touch(int node) => classes[classOf[node]].Heap.Enqueue((node, ++stamp[node]), -Free(node).CpuMilli);

    private bool Eligible(int i) => !draining[i] && nodes[i].Ready;

    private (int Node, string Reason) Place(PodState pod)
    {
        if (NodeFit.PinsToNode(pod)) return PlacePinned(pod);
        var feasible = 0;
        foreach (var cls in classes)
        {
            if (!NodeFit.Allows(nodes[cls.Representative], pod)) continue;
            feasible += cls.Available;
            var target = PopFit(cls, pod.Requests);
            if (target >= 0) return (target, "");
        }
        return (-1, Reason(feasible));
    }

    /// <summary>Largest free CPU first; entries for draining or misfitting nodes are put back afterwards.</summary>
    private int PopFit(NodeClass cls, ResourceAmounts request)
    {
        aside.Clear();
        var found = -1;
        var misfits = 0;
        while (cls.Heap.TryDequeue(out var e, out var priority))
        {
            if (e.Stamp != stamp[e.Node]) continue; // stale
            aside.Add((e.Node, e.Stamp, priority));
            if (!Eligible(e.Node)) continue;
            var free = Free(e.Node);
            if (free.CpuMilli < request.CpuMilli) break; // nothing further down has more CPU
            if (free.Fits(request)) { found = e.Node; break; }
            if (++misfits >= MaxMisfitsPerClass) break;
        }
        foreach (var (node, s, p) in aside) cls.Heap.Enqueue((node, s), p);
        return found;
    }

    private (int Node, string Reason) PlacePinned(PodState pod)
    {
        var feasible = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!Eligible(i) || !NodeFit.Allows(nodes[i], pod)) continue;
            feasible++;
            if (Free(i).Fits(pod.Requests)) return (i, "");
        }
        return (-1, Reason(feasible));
    }

    private static string Reason(int feasibleNodes) => feasibleNodes == 0
        ? "no other schedulable node matches its nodeSelector/affinity and tolerations"
        : "insufficient cpu, memory or pod slots on every node that matches its nodeSelector/affinity and tolerations";

    /// <summary>Nodes that accept the same pods: labels without the per-node hostname, taints, cordon.</summary>
    private static string Signature(NodeState n)
    {
        var labels = n.Labels.Where(kv => kv.Key != "kubernetes.io/hostname").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}");
        var taints = n.Taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}").Order(StringComparer.Ordinal);
        return $"{n.Unschedulable}|{string.Join(",", labels)}|{string.Join(",", taints)}";
    }
}
