using Drydock.Kube.Models;
using Drydock.Versions;

namespace Drydock.Planning.Inventory;

/// <summary>A node as planning sees it: identity, role, scheduling constraints, capacity, versions, health.</summary>
public sealed record NodeState
{
    public required string Name { get; init; }
    /// <summary>From node-role.kubernetes.io/* labels ("control-plane", "worker"…), sorted.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
    /// <summary>Has the node-role.kubernetes.io/control-plane (or legacy master) label.</summary>
    public bool IsControlPlane { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<Taint> Taints { get; init; } = [];
    /// <summary>status.allocatable (cpu, memory, pods).</summary>
    public ResourceAmounts Allocatable { get; init; }
    /// <summary>status.nodeInfo.kubeletVersion as reported; null when unparsable (see <see cref="KubeletVersionText"/>).</summary>
    public KubeVersion? KubeletVersion { get; init; }
    public string KubeletVersionText { get; init; } = "";
    /// <summary>Ready condition is True.</summary>
    public bool Ready { get; init; }
    /// <summary>spec.unschedulable (cordoned).</summary>
    public bool Unschedulable { get; init; }
    public string OsImage { get; init; } = "";
    public string ContainerRuntimeVersion { get; init; } = "";
}
