using Drydock.Versions;

namespace Drydock.Planning.Inventory;

/// <summary>
/// The static control-plane pods of one control-plane node, as kubeadm's plan reads them: mirror pods labelled
/// component=NAME,tier=control-plane; versions are image tags. Null where the pod is absent (etcd: external).
/// </summary>
public sealed record ControlPlaneNode
{
    public required string Node { get; init; }
    public StaticPodState? KubeApiserver { get; init; }
    public StaticPodState? KubeControllerManager { get; init; }
    public StaticPodState? KubeScheduler { get; init; }
    public StaticPodState? Etcd { get; init; }

    public IEnumerable<StaticPodState> All => new[] { KubeApiserver, KubeControllerManager, KubeScheduler, Etcd }.OfType<StaticPodState>();
}

/// <summary>One static pod: its image, the tag as text (etcd "3.5.12-0"), the tag as a Kubernetes version when it is one.</summary>
public sealed record StaticPodState(string Component, string PodName, string Image, string Tag, KubeVersion? Version, string Phase, bool Ready);
