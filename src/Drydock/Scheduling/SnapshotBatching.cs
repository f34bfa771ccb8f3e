using Drydock.Planning.Inventory;

namespace Drydock.Scheduling;

/// <summary>
/// Turns a <see cref="ClusterSnapshot"/> into the batch scheduler's input: the workers to drain, the pods that move
/// when their node is drained (DaemonSet and mirror pods stay and count as Reserved; finished pods and bare pods go
/// away and need no room), each pod's requests, grace period, selector, tolerations and PDBs, and every PDB's
/// allowance at steady state (<see cref="SteadyStateBudgets"/>).
/// </summary>
public static class SnapshotBatching
{
    /// <param name="toDrain">Node names the run takes out; null means every worker (non-control-plane node).</param>
    public static BatchingInput Input(ClusterSnapshot snapshot, IReadOnlyCollection<string>? toDrain = null)
    {
        var drain = toDrain is null
            ? snapshot.WorkerNodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal)
            : toDrain.ToHashSet(StringComparer.Ordinal);
        var budgets = SteadyStateBudgets.Compute(snapshot);
        var budgetsOfPod = new Dictionary<(string, string), List<string>>();
        foreach (var b in budgets)
            foreach (var p in b.Pods)
            {
                if (!budgetsOfPod.TryGetValue((p.Namespace, p.Name), out var l)) budgetsOfPod[(p.Namespace, p.Name)] = l = [];
                l.Add(b.Pdb.Key);
            }

        var reserved = new Dictionary<string, Resources>(StringComparer.Ordinal);
        var pods = new List<BatchPod>();
        foreach (var p in snapshot.Pods)
        {
            if (p.NodeName is null || p.IsFinished || p.Terminating) continue;
            var requests = new Resources(p.Requests.CpuMilli, p.Requests.MemoryBytes, Math.Max(1, p.Requests.Pods));
            if (p.IsMirror || p.IsDaemonSetPod)
            {
                reserved[p.NodeName] = reserved.GetValueOrDefault(p.NodeName) + requests;
                continue;
            }
            if (p.Controller is null) continue; // a bare pod is deleted by drain --force and never comes back
            pods.Add(new BatchPod
            {
                Key = $"{p.Namespace}/{p.Name}",
                Node = p.NodeName,
                Requests = requests,
                Budgets = budgetsOfPod.GetValueOrDefault((p.Namespace, p.Name)) ?? (IReadOnlyList<string>)[],
                Healthy = p.Ready && p.Phase == "Running",
                GracePeriod = TimeSpan.FromSeconds(Math.Max(0, p.TerminationGracePeriodSeconds)),
                NodeSelector = p.NodeSelector.Count == 0 ? null : p.NodeSelector,
                Tolerations = p.Tolerations,
                RequiredNodeAffinity = p.RequiredNodeAffinity,
            });
        }
        var nodes = snapshot.Nodes.Select(n => new BatchNode
        {
            Name = n.Name,
            Allocatable = new Resources(n.Allocatable.CpuMilli, n.Allocatable.MemoryBytes, n.Allocatable.Pods),
            Labels = n.Labels,
            Taints = n.Taints,
            Unschedulable = n.Unschedulable && !drain.Contains(n.Name),
            Reserved = reserved.GetValueOrDefault(n.Name),
            ToBeDrained = drain.Contains(n.Name),
        }).ToList();
        return new BatchingInput
        {
            Nodes = nodes,
            Pods = pods,
            Budgets = budgets.Select(b => new BatchBudget { Id = b.Pdb.Key, AllowedDisruptions = b.AllowedDisruptions }).ToList(),
        };
    }
}
