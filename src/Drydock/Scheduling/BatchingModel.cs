using Drydock.Kube.Models;

namespace Drydock.Scheduling;

/// <summary>CPU in millicores, memory in bytes, and a pod count — what the scheduler's fit check compares.</summary>
public readonly record struct Resources(long MilliCpu, long MemoryBytes, int Pods)
{
    public static Resources operator +(Resources a, Resources b) => new(a.MilliCpu + b.MilliCpu, a.MemoryBytes + b.MemoryBytes, a.Pods + b.Pods);
    public static Resources operator -(Resources a, Resources b) => new(a.MilliCpu - b.MilliCpu, a.MemoryBytes - b.MemoryBytes, a.Pods - b.Pods);
    public bool Fits(Resources free) => MilliCpu <= free.MilliCpu && MemoryBytes <= free.MemoryBytes && Pods <= free.Pods;
}

/// <summary>A node as the batch scheduler sees it.</summary>
public sealed record BatchNode
{
    public required string Name { get; init; }
    public required Resources Allocatable { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<Taint> Taints { get; init; } = [];
    /// <summary>Cordoned before the run (stays out of placement, is not part of the schedule's capacity).</summary>
    public bool Unschedulable { get; init; }
    /// <summary>Requests of pods that stay on the node through a drain (DaemonSet, mirror pods).</summary>
    public Resources Reserved { get; init; }
    /// <summary>True for nodes this run must take out (workers to upgrade or maintain).</summary>
    public bool ToBeDrained { get; init; } = true;
}

/// <summary>A pod as the batch scheduler sees it. Pods that stay on a drained node (DaemonSet, mirror) are not listed.</summary>
public sealed record BatchPod
{
    /// <summary>namespace/name.</summary>
    public required string Key { get; init; }
    public required string Node { get; init; }
    public Resources Requests { get; init; } = new(0, 0, 1);
    /// <summary>Ids of the PDBs selecting this pod (usually zero or one).</summary>
    public IReadOnlyList<string> Budgets { get; init; } = [];
    public bool Healthy { get; init; } = true;
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    public IReadOnlyList<Toleration>? Tolerations { get; init; }
    /// <summary>spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, when set.</summary>
    public NodeSelector? RequiredNodeAffinity { get; init; }
}

/// <summary>A PodDisruptionBudget reduced to what batching needs: how many of its pods may be down at once.</summary>
public sealed record BatchBudget
{
    public required string Id { get; init; }
    /// <summary>Disruptions the budget allows when all its pods are healthy (status.disruptionsAllowed at steady state).</summary>
    public required int AllowedDisruptions { get; init; }
}

/// <summary>Durations the time model uses. Defaults follow the seed procedure on a typical node.</summary>
public sealed record NodeTimeModel
{
    /// <summary>Package installs, kubeadm upgrade node, kubelet restart and Ready: everything but the drain.</summary>
    public TimeSpan FixedPerNode { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>From eviction of a pod to its replacement being Ready elsewhere (image pull + start + readiness).</summary>
    public TimeSpan PodStart { get; init; } = TimeSpan.FromSeconds(10);
}

public enum BatchStrategyKind { Serial, Fixed, Smart }

public sealed record BatchingOptions
{
    public int MaxUnavailable { get; init; } = 1;
    public BatchStrategyKind Strategy { get; init; } = BatchStrategyKind.Smart;
    public NodeTimeModel Time { get; init; } = new();
}

public sealed record BatchingInput
{
    public required IReadOnlyList<BatchNode> Nodes { get; init; }
    public required IReadOnlyList<BatchPod> Pods { get; init; }
    public IReadOnlyList<BatchBudget> Budgets { get; init; } = [];
}
