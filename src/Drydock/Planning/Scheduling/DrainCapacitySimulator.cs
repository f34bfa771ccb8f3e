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
/// later drains see the cluster as it will be.
/// Only controller-managed pods need a place: DaemonSet and mirror pods stay, finished pods are gone, and unmanaged
/// pods are deleted by drain --force and not recreated.
/// <para>Cost: nodes are grouped into classes by labels (hostname aside) and taints; a pod is tested against each class
/// once, then first-fit over the class's nodes ordered by free CPU. Pods are placed largest first.</para>
/// </summary>
public sealed class DrainCapacitySimulator
{
    private readonly ClusterSnapshot snapshot;
    private readonly List<NodeState> nodes;
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly ResourceAmounts[] used;
    private readonly List<PodState>[] podsOn;
    private readonly List<int[]> classes = [];
    private readonly int[] classOf;
    private readonly bool[] draining;

    public DrainCapacitySimulator(ClusterSnapshot snapshot)
    {
        this.snapshot = snapshot;
        nodes = snapshot.Nodes.ToList();
        used = new ResourceAmounts[nodes.Count];
        podsOn = new List<PodState>[nodes.Count];
        classOf = new int[nodes.Count];
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
            var ordered = list.OrderByDescending(i => nodes[i].Allocatable.CpuMilli - used[i].CpuMilli).ThenBy(i => i).ToArray();
            foreach (var i in ordered) classOf[i] = classes.Count;
            classes.Add(ordered);
        }
    }

    /// <summary>Drains <paramref name="nodeNames"/> together; the pods that found a place move there.</summary>
    public DrainFitResult Drain(IReadOnlyList<string> nodeNames)
    {
        var drained = nodeNames.Where(index.ContainsKey).Select(n => index[n]).ToList();
        foreach (var d in drained) draining[d] = true;
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
            used[target] += pod.Requests;
            podsOn[target].Add(pod);
            moved++;
        }
        foreach (var d in drained)
        {
            // The node comes back after its upgrade with what does not move: mirror and DaemonSet pods.
            podsOn[d].RemoveAll(p => !p.IsMirror && !p.IsDaemonSetPod);
            used[d] = podsOn[d].Aggregate(ResourceAmounts.Zero, (acc, p) => acc + p.Requests);
            draining[d] = false;
        }
        // Pods left Pending during the drain are scheduled once the nodes are back (often onto them).
        foreach (var u in unplaced)
        {
            var (target, _) = Place(u.Pod);
            if (target < 0) continue;
            used[target] += u.Pod.Requests;
            podsOn[target].Add(u.Pod);
        }
        return new DrainFitResult(drained.Select(i => nodes[i].Name).ToList(), moved, unplaced);
    }

    private (int Node, string Reason) Place(PodState pod)
    {
        var pinned = NodeFit.PinsToNode(pod);
        var feasibleNodes = 0;
        foreach (var cls in classes)
        {
            var rep = nodes[cls[0]];
            if (!pinned && !NodeFit.Allows(rep, pod)) continue;
            foreach (var i in cls)
            {
                if (draining[i] || !nodes[i].Ready) continue;
                if (pinned && !NodeFit.Allows(nodes[i], pod)) continue;
                feasibleNodes++;
                if ((nodes[i].Allocatable - used[i]).Fits(pod.Requests)) return (i, "");
            }
        }
        return (-1, feasibleNodes == 0
            ? "no other schedulable node matches its nodeSelector/affinity and tolerations"
            : $"insufficient cpu/memory/pods on all {feasibleNodes} matching node(s)");
    }

    /// <summary>Nodes that accept the same pods: labels without the per-node hostname, taints, cordon.</summary>
    private static string Signature(NodeState n)
    {
        var labels = n.Labels.Where(kv => kv.Key != "kubernetes.io/hostname").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}");
        var taints = n.Taints.Select(t => $"{t.Key}={t.Value}:{t.Effect}").Order(StringComparer.Ordinal);
        return $"{n.Unschedulable}|{string.Join(",", labels)}|{string.Join(",", taints)}";
    }
}
