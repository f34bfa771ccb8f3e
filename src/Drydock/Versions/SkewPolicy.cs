namespace Drydock.Versions;

/// <summary>
/// The Kubernetes version skew policy as upstream states it today
/// (https://kubernetes.io/releases/version-skew-policy/, since 1.28 / KEP-3935 the kubelet and kube-proxy window
/// is three minors for versions ≥ 1.25, two below). Pure: every pair is checked, including the ones kubeadm skips
/// (HA apiserver spread, controller-manager/scheduler, kube-proxy, kubectl, kubelets newer than the apiserver).
/// </summary>
public static class SkewPolicy
{
    /// <summary>Kubelets and kube-proxies from this minor on may trail by three minors; older ones by two.</summary>
    public const int WideWindowSinceMinor = 25;

    public static IReadOnlyList<SkewViolation> Check(ClusterVersions versions)
    {
        var violations = new List<SkewViolation>();
        var apiservers = versions.Of(Component.KubeApiserver).ToList();
        if (apiservers.Count == 0) return violations; // nothing to compare against
        var oldest = apiservers.MinBy(a => a.Version)!;
        var newest = apiservers.MaxBy(a => a.Version)!;

        if (newest.Version.MinorsAhead(oldest.Version) > 1)
            violations.Add(new(SkewRule.ApiserverHaWithinOneMinor, newest, oldest,
                "the newest and oldest kube-apiserver instances must be within one minor version"));

        var kubeletByNode = new Dictionary<string, ComponentInstance>(StringComparer.Ordinal);
        foreach (var k in versions.Of(Component.Kubelet))
            if (k.Node is not null) kubeletByNode.TryAdd(k.Node, k);

        foreach (var i in versions.Instances)
        {
            switch (i.Component)
            {
                case Component.KubeControllerManager or Component.KubeScheduler or Component.CloudControllerManager:
                    CheckControlPlane(i, apiservers, oldest, newest, violations);
                    break;
                case Component.Kubelet:
                    CheckNodeComponent(i, oldest, newest, SkewRule.KubeletNotNewerThanApiserver, SkewRule.KubeletTooOld, violations);
                    break;
                case Component.KubeProxy:
                    CheckNodeComponent(i, oldest, newest, SkewRule.KubeProxyNotNewerThanApiserver, SkewRule.KubeProxyTooOld, violations);
                    CheckProxyVsKubelet(i, kubeletByNode, violations);
                    break;
                case Component.Kubectl:
                    foreach (var a in new[] { oldest, newest }.Distinct())
                        if (Math.Abs(i.Version.MinorsAhead(a.Version)) > 1)
                            violations.Add(new(SkewRule.KubectlWithinOneMinor, i, a,
                                "kubectl is supported within one minor version (older or newer) of kube-apiserver"));
                    break;
            }
        }
        return violations;
    }

    /// <summary>Minors a kubelet/kube-proxy of this version may trail: 3, or 2 below 1.25.</summary>
    public static int AllowedNodeLag(KubeVersion v) => v.Major == 1 && v.Minor < WideWindowSinceMinor ? 2 : 3;

    private static void CheckControlPlane(ComponentInstance i, List<ComponentInstance> apiservers, ComponentInstance oldest,
        ComponentInstance newest, List<SkewViolation> violations)
    {
        // kubeadm points controller-manager.conf and scheduler.conf at the local API endpoint, so a co-located
        // apiserver is the one they talk to. Without one (e.g. a cloud-controller-manager behind a load balancer),
        // any instance may answer: not newer than the oldest, at most one minor behind the newest.
        var local = i.Node is null ? null : apiservers.FirstOrDefault(a => a.Node == i.Node);
        var ceiling = local ?? oldest;
        var floor = local ?? newest;
        if (i.Version.MinorsAhead(ceiling.Version) > 0)
            violations.Add(new(SkewRule.ControlPlaneNotNewerThanApiserver, i, ceiling,
                $"{i.Component.Name()} must not be newer than the kube-apiserver instances it communicates with"));
        if (floor.Version.MinorsAhead(i.Version) > 1)
            violations.Add(new(SkewRule.ControlPlaneAtMostOneMinorOlder, i, floor,
                $"{i.Component.Name()} may be at most one minor version older than kube-apiserver"));
    }

    private static void CheckNodeComponent(ComponentInstance i, ComponentInstance oldest, ComponentInstance newest,
        SkewRule notNewer, SkewRule tooOld, List<SkewViolation> violations)
    {
        var name = i.Component.Name();
        if (i.Version.MinorsAhead(oldest.Version) > 0)
            violations.Add(new(notNewer, i, oldest, $"{name} must not be newer than kube-apiserver"));
        var lag = AllowedNodeLag(i.Version);
        if (newest.Version.MinorsAhead(i.Version) > lag)
            violations.Add(new(tooOld, i, newest, lag == 3
                ? $"{name} may be up to three minor versions older than kube-apiserver"
                : $"{name} < 1.{WideWindowSinceMinor} may only be up to two minor versions older than kube-apiserver"));
    }

    private static void CheckProxyVsKubelet(ComponentInstance proxy, Dictionary<string, ComponentInstance> kubeletByNode, List<SkewViolation> violations)
    {
        if (proxy.Node is null || !kubeletByNode.TryGetValue(proxy.Node, out var kubelet)) return;
        var lag = AllowedNodeLag(proxy.Version);
        if (Math.Abs(proxy.Version.MinorsAhead(kubelet.Version)) > lag)
            violations.Add(new(SkewRule.KubeProxyVsKubelet, proxy, kubelet, lag == 3
                ? "kube-proxy may be up to three minor versions older or newer than the kubelet it runs alongside"
                : $"kube-proxy < 1.{WideWindowSinceMinor} may only be up to two minor versions older or newer than the kubelet it runs alongside"));
    }
}
