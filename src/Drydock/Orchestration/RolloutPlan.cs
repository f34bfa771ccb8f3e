namespace Drydock.Orchestration;

public enum RolloutKind { Upgrade, Maintain }

/// <summary>FirstControlPlane runs <c>kubeadm upgrade apply</c>; other control planes and workers <c>kubeadm upgrade node</c>.</summary>
public enum NodeRole { FirstControlPlane, ControlPlane, Worker }

public sealed record RolloutNode(string Name, NodeRole Role);

/// <summary>
/// Which part of a node's procedure a batch runs. The guides (seed 000, 004 §五) upgrade the control-plane
/// components of every control plane first (kubeadm upgrade apply, then node, one at a time), and only then the
/// kubelets of the control planes — so no kubelet is ever newer than an API server. Workers run everything at once.
/// </summary>
public enum BatchStage { Full, ControlPlaneComponents, Kubelet }

/// <summary>Nodes taken out of service together (at most --max-unavailable; control planes always alone).</summary>
public sealed record RolloutBatch(int Index, IReadOnlyList<RolloutNode> Nodes, BatchStage Stage = BatchStage.Full);

/// <summary>
/// One minor (or patch) step of an upgrade, complete and verified before the next: every batch in order.
/// <see cref="Version"/> is "1.28.4" (no "v"); for maintenance runs it is empty.
/// </summary>
public sealed record RolloutHop
{
    public required string Version { get; init; }
    /// <summary>True when the hop changes minor: pkgs.k8s.io is per minor, so the repository moves first.</summary>
    public bool SwitchRepository { get; init; }
    public required IReadOnlyList<RolloutBatch> Batches { get; init; }

    public string Minor => string.Join('.', Version.Split('.').Take(2));
}

/// <summary>What `drydock maintain` runs on each node between drain and uncordon.</summary>
public sealed record MaintenanceWork(string? Command, bool Reboot, TimeSpan? CommandTimeout = null);

/// <summary>
/// The orchestrator's input: hops of batches of nodes with roles. Built by <see cref="RolloutPlanner"/> from the
/// cluster's nodes (or from the Planning layer's UpgradePlan). Stored verbatim in the run state so a resume
/// continues the same plan even if the cluster changed meanwhile.
/// </summary>
public sealed record RolloutPlan
{
    public required RolloutKind Kind { get; init; }
    public required IReadOnlyList<RolloutHop> Hops { get; init; }
    public int MaxUnavailable { get; init; } = 1;
    public MaintenanceWork? Maintenance { get; init; }

    /// <summary>Every (hop, node) once, in plan order (a control plane's two stages count once).</summary>
    public IEnumerable<(int Hop, RolloutBatch Batch, RolloutNode Node)> AllNodes() =>
        Hops.SelectMany((h, i) => h.Batches.Where(b => b.Stage != BatchStage.Kubelet).SelectMany(b => b.Nodes.Select(n => (i, b, n))));
}
