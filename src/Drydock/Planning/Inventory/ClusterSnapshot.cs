using Drydock.Versions;

namespace Drydock.Planning.Inventory;

/// <summary>
/// Everything planning, rehearsal and batching need to know about a cluster at one moment, as plain data.
/// Built by <see cref="ClusterInventory"/> from a live API server or by <see cref="SnapshotLoader"/> from a
/// Kubernetes List (kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json). Pure consumers never do I/O:
/// <c>UpgradePlanner.Plan(snapshot, …)</c>, the preflight checks, rehearsals.
/// </summary>
public sealed record ClusterSnapshot
{
    /// <summary>"snapshot FILE" or the API server URL.</summary>
    public string Source { get; init; } = "";
    /// <summary>When it was taken (injected clock); null for a file without that information.</summary>
    public DateTimeOffset? TakenAt { get; init; }
    /// <summary>True when read from a live API server (so /version answered).</summary>
    public bool Live { get; init; }
    /// <summary>GET /version when live; else the newest kube-apiserver image tag (kubeadm's own fallback).</summary>
    public KubeVersion? ApiServerVersion { get; init; }
    /// <summary>GET /readyz?verbose when live and the server let us ask; null offline or when it could not be asked.</summary>
    public Kube.Models.ApiHealth? ApiServerReadyz { get; init; }
    /// <summary>kube-system/kubeadm-config ClusterConfiguration.kubernetesVersion; null when absent.</summary>
    public KubeVersion? KubeadmKubernetesVersion { get; init; }
    /// <summary>Nodes in inventory (API list) order.</summary>
    public IReadOnlyList<NodeState> Nodes { get; init; } = [];
    public IReadOnlyList<PodState> Pods { get; init; } = [];
    public IReadOnlyList<PdbState> Pdbs { get; init; } = [];
    public IReadOnlyList<WorkloadState> Workloads { get; init; } = [];
    /// <summary>Control-plane nodes with their static pods, in node order.</summary>
    public IReadOnlyList<ControlPlaneNode> ControlPlane { get; init; } = [];
    /// <summary>kube-system/kube-proxy DaemonSet image and its tag as a version.</summary>
    public string? KubeProxyImage { get; init; }
    public KubeVersion? KubeProxyVersion { get; init; }
    /// <summary>kube-system/coredns Deployment image and tag ("v1.10.1").</summary>
    public string? CoreDnsImage { get; init; }
    public string? CoreDnsVersion { get; init; }
    public IReadOnlyList<ApiUsage> ApiUsages { get; init; } = [];
    /// <summary>Problems met while reading (unparsable versions, missing kubeadm-config …), for the preflight table.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The cluster's Kubernetes version as kubeadm defines it: the highest kube-apiserver (falls back to kubeadm-config).</summary>
    public KubeVersion? ClusterVersion =>
        ControlPlane.Select(c => c.KubeApiserver?.Version).OfType<KubeVersion>().DefaultIfEmpty().Max()
        ?? ApiServerVersion ?? KubeadmKubernetesVersion;

    public IEnumerable<NodeState> ControlPlaneNodes => Nodes.Where(n => n.IsControlPlane);
    public IEnumerable<NodeState> WorkerNodes => Nodes.Where(n => !n.IsControlPlane);
}
