using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Scheduling;

namespace Drydock.Planning.Upgrade;

/// <summary>
/// <see cref="IBatchStrategy"/> over the PDB- and capacity-aware <see cref="BatchScheduler"/> (Scheduling/): the
/// snapshot is reduced to its <see cref="BatchingInput"/> — workers to drain, control planes as placement targets,
/// evictable pods with their PDBs, each PDB's steady-state allowance — and the smart schedule's batches come back
/// as node lists in execution order.
/// </summary>
public sealed class SmartBatchStrategy : IBatchStrategy
{
    public string Name => "smart (PDB- and capacity-aware)";

    public IReadOnlyList<IReadOnlyList<NodeState>> Batch(IReadOnlyList<NodeState> workers, int batchSize, ClusterSnapshot snapshot)
    {
        var schedule = BatchScheduler.Plan(ToInput(workers, snapshot), new BatchingOptions { MaxUnavailable = batchSize, Strategy = BatchStrategyKind.Smart });
        var byName = workers.ToDictionary(n => n.Name, StringComparer.Ordinal);
        return schedule.Batches.Select(b => (IReadOnlyList<NodeState>)b.Nodes.Select(n => byName[n]).ToList()).ToList();
    }

    internal static BatchingInput ToInput(IReadOnlyList<NodeState> workers, ClusterSnapshot snapshot)
    {
        var index = new ClusterIndex(snapshot);
        var drain = workers.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = snapshot.Nodes.Select(n => new BatchNode
        {
            Name = n.Name,
            Allocatable = Convert(n.Allocatable),
            Labels = n.Labels,
            Taints = n.Taints,
            Unschedulable = n.Unschedulable || !n.Ready,
            Reserved = Convert(index.PodsOn(n.Name).Where(p => !p.IsFinished && (p.IsMirror || p.IsDaemonSetPod))
                                                  .Aggregate(ResourceAmounts.Zero, (a, p) => a + p.Requests)),
            ToBeDrained = drain.Contains(n.Name),
        }).ToList();
        var pods = snapshot.Pods.Where(p => p.NodeName is not null && !p.IsFinished && !p.IsMirror && !p.IsDaemonSetPod && p.Controller is not null)
            .Select(p => new BatchPod
            {
                Key = $"{p.Namespace}/{p.Name}",
                Node = p.NodeName!,
                Requests = Convert(p.Requests),
                Budgets = index.PdbsOf(p).Select(b => b.Key).ToList(),
                Healthy = p.Ready,
                GracePeriod = TimeSpan.FromSeconds(p.TerminationGracePeriodSeconds),
                NodeSelector = p.NodeSelector,
                Tolerations = p.Tolerations,
            }).ToList();
        var budgets = snapshot.Pdbs.Select(b => new BatchBudget { Id = b.Key, AllowedDisruptions = SteadyStateAllowance(b, index) }).ToList();
        return new BatchingInput { Nodes = nodes, Pods = pods, Budgets = budgets };
    }

    /// <summary>Disruptions allowed with every matching pod healthy (the disruption controller's arithmetic).</summary>
    private static int SteadyStateAllowance(PdbState pdb, ClusterIndex index)
    {
        var expected = index.PodsOf(pdb).Count(p => !p.IsFinished);
        var desired = pdb.MaxUnavailable is { } maxU ? expected - maxU.Resolve(expected, roundUp: true)
                    : pdb.MinAvailable is { } minA ? minA.Resolve(expected, roundUp: true) : expected;
        return Math.Max(0, expected - desired);
    }

    private static Resources Convert(ResourceAmounts r) => new(r.CpuMilli, r.MemoryBytes, r.Pods);
}
