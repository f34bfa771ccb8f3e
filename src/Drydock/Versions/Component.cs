namespace Drydock.Versions;

/// <summary>The components the version skew policy constrains (kubernetes.io/releases/version-skew-policy).</summary>
public enum Component
{
    KubeApiserver,
    KubeControllerManager,
    KubeScheduler,
    CloudControllerManager,
    Kubelet,
    KubeProxy,
    Kubectl,
}

public static class ComponentNames
{
    /// <summary>The binary name as the policy page and kubeadm print it ("kube-apiserver").</summary>
    public static string Name(this Component c) => c switch
    {
        Component.KubeApiserver => "kube-apiserver",
        Component.KubeControllerManager => "kube-controller-manager",
        Component.KubeScheduler => "kube-scheduler",
        Component.CloudControllerManager => "cloud-controller-manager",
        Component.Kubelet => "kubelet",
        Component.KubeProxy => "kube-proxy",
        Component.Kubectl => "kubectl",
        _ => c.ToString(),
    };
}

/// <summary>One running instance of a component: which, where (node name, or "kubectl on host X"), which version.</summary>
/// <param name="Node">The node it runs on; null for components not tied to a node (kubectl, a load-balanced cloud-controller-manager).</param>
public sealed record ComponentInstance(Component Component, KubeVersion Version, string? Node = null)
{
    public string Describe() => Node is null ? $"{Component.Name()} {Version}" : $"{Component.Name()} {Version} on {Node}";
}

/// <summary>Every component version in a cluster (now, or simulated after a plan step): the input of <see cref="SkewPolicy"/>.</summary>
public sealed record ClusterVersions
{
    public IReadOnlyList<ComponentInstance> Instances { get; init; } = [];

    public IEnumerable<ComponentInstance> Of(Component c) => Instances.Where(i => i.Component == c);

    public ClusterVersions(IEnumerable<ComponentInstance> instances) => Instances = instances.ToList();
}
