using System.Text.Json.Serialization;
using Drydock.Nodes;
using Drydock.Versions;

namespace Drydock.Planning.Upgrade;

/// <summary>
/// What an upgrade will do, in order, for the orchestrator to execute: one <see cref="HopPlan"/> per minor,
/// each with its ordered <see cref="NodeUpgradeStep"/>s. Pure data; built by <see cref="UpgradePlanner"/>.
/// </summary>
public sealed record UpgradePlan
{
    public required KubeVersion ClusterVersion { get; init; }
    public required KubeVersion Target { get; init; }
    public IReadOnlyList<HopPlan> Hops { get; init; } = [];
    /// <summary>The worker batch size as given (N or P%) and resolved.</summary>
    public string MaxUnavailable { get; init; } = "1";
    public int BatchSize { get; init; } = 1;
    public string BatchStrategy { get; init; } = "";

    public bool UpToDate => Hops.Count == 0;
}

/// <summary>One kubeadm upgrade from <see cref="From"/> to <see cref="To"/> (at most one minor).</summary>
public sealed record HopPlan
{
    public required KubeVersion From { get; init; }
    public required KubeVersion To { get; init; }
    public required ComponentTargets Components { get; init; }
    public IReadOnlyList<NodeUpgradeStep> Steps { get; init; } = [];
}

/// <summary>Current → target for every component kubeadm's plan table shows.</summary>
public sealed record ComponentTargets
{
    /// <summary>Kubelet versions now, grouped: ("v1.27.16", 8).</summary>
    public IReadOnlyList<VersionCount> Kubelets { get; init; } = [];
    public required KubeVersion KubeletTarget { get; init; }
    public IReadOnlyList<ComponentRow> ControlPlane { get; init; } = [];
}

public sealed record VersionCount(string Version, int Count);

/// <summary>A row of the plan table: "kube-apiserver  v1.27.16  v1.28.15" (per node when versions differ).</summary>
public sealed record ComponentRow(string Component, string? Node, string Current, string Target);

public enum NodeStepKind
{
    /// <summary><c>kubeadm upgrade apply vX</c> on the first control-plane node (static pods, cluster config, addons gate).</summary>
    ControlPlaneApply,
    /// <summary><c>kubeadm upgrade node</c> on another control-plane node (its static pods).</summary>
    ControlPlaneNode,
    /// <summary>Drain, kubelet+kubectl packages, restart kubelet, uncordon — on a control-plane node, after every apiserver is upgraded.</summary>
    ControlPlaneKubelet,
    /// <summary>A batch of workers: kubeadm upgrade node, drain, kubelet+kubectl, restart, uncordon.</summary>
    WorkerBatch,
}

/// <summary>
/// One step of a hop, executed after the previous one finished. Control-plane kubelets are upgraded only after every
/// kube-apiserver runs the target (skew policy: "kubelet must not be newer than kube-apiserver" in HA means newer than
/// none of them), so a hop is: apply on the first control plane, node on the others, their kubelets, worker batches.
/// </summary>
public sealed record NodeUpgradeStep
{
    /// <summary>1-based position within the hop.</summary>
    public required int Index { get; init; }
    public required NodeStepKind Kind { get; init; }
    public required IReadOnlyList<string> Nodes { get; init; }
    /// <summary>Human description ("kubeadm upgrade apply v1.28.15").</summary>
    public required string Description { get; init; }
    public bool Drain { get; init; }
    /// <summary>Node operations before the drain (or all of them when <see cref="Drain"/> is false), for each node of the step.</summary>
    [JsonIgnore] public IReadOnlyList<NodeStep> BeforeDrain { get; init; } = [];
    /// <summary>Node operations between drain and uncordon.</summary>
    [JsonIgnore] public IReadOnlyList<NodeStep> AfterDrain { get; init; } = [];
    /// <summary>The same operations as text, for output and journals.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];
}
