using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>
/// A pod as planning, rehearsal and batching see it. <see cref="Controller"/> is the direct controller owner
/// (ReplicaSet, StatefulSet, DaemonSet, Job, Node for mirror pods); <see cref="Workload"/> the top-level workload
/// (a ReplicaSet's Deployment) when the snapshot holds it.
/// </summary>
public sealed record PodState
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string Uid { get; init; } = "";
    /// <summary>spec.nodeName; null when not scheduled.</summary>
    public string? NodeName { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty;
    public OwnerRef? Controller { get; init; }
    public OwnerRef? Workload { get; init; }
    /// <summary>Static pod's API mirror (kubernetes.io/config.mirror annotation).</summary>
    public bool IsMirror { get; init; }
    public bool IsDaemonSetPod => Controller?.Kind == "DaemonSet";
    /// <summary>Effective requests: max(sum of containers, largest init container), one pod slot.</summary>
    public ResourceAmounts Requests { get; init; }
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = Empty;
    public IReadOnlyList<Toleration> Tolerations { get; init; } = [];
    /// <summary>spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, when set.</summary>
    public NodeSelector? RequiredNodeAffinity { get; init; }
    /// <summary>Has an emptyDir volume: drain needs --delete-emptydir-data.</summary>
    public bool HasEmptyDir { get; init; }
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>status.phase: Pending, Running, Succeeded, Failed, Unknown.</summary>
    public string Phase { get; init; } = "";
    /// <summary>Ready condition is True.</summary>
    public bool Ready { get; init; }
    public bool Terminating { get; init; }
    public long TerminationGracePeriodSeconds { get; init; } = 30;
    public string? PriorityClassName { get; init; }
    /// <summary>First container image (static pods and add-ons carry their version in its tag).</summary>
    public string? Image { get; init; }

    public bool IsFinished => Phase is "Succeeded" or "Failed";

    internal static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}

/// <summary>A reference to an owning object.</summary>
public sealed record OwnerRef(string Kind, string Name, string Uid = "");
