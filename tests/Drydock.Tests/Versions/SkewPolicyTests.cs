using Drydock.Versions;

namespace Drydock.Tests.Versions;

/// <summary>The examples of https://kubernetes.io/releases/version-skew-policy/ with currentVersion = 1.32.</summary>
public sealed class SkewPolicyTests
{
    private static KubeVersion V(string s) => KubeVersion.Parse(s);

    private static ClusterVersions Cluster(string[] apiservers, params ComponentInstance[] others) =>
        new(apiservers.Select((a, i) => new ComponentInstance(Component.KubeApiserver, V(a), $"cp-{i + 1}")).Concat(others));

    public static TheoryData<string, string[], Component, string, string?, SkewRule?> Cases => new()
    {
        // kube-apiserver: "newest kube-apiserver is at 1.32; other kube-apiserver instances are supported at 1.32 and 1.31"
        { "apiserver HA 1.32/1.31 ok", ["v1.32.0", "v1.31.4"], Component.KubeApiserver, "v1.31.0", "cp-3", null },
        { "apiserver HA 1.32/1.30", ["v1.32.0"], Component.KubeApiserver, "v1.30.0", "cp-3", SkewRule.ApiserverHaWithinOneMinor },
        // kubelet: "kube-apiserver is at 1.32; kubelet is supported at 1.32, 1.31, 1.30, and 1.29"
        { "kubelet 1.32", ["v1.32.0"], Component.Kubelet, "v1.32.0", "w", null },
        { "kubelet 1.29", ["v1.32.0"], Component.Kubelet, "v1.29.5", "w", null },
        { "kubelet 1.28", ["v1.32.0"], Component.Kubelet, "v1.28.5", "w", SkewRule.KubeletTooOld },
        { "kubelet newer", ["v1.32.0"], Component.Kubelet, "v1.33.0", "w", SkewRule.KubeletNotNewerThanApiserver },
        // "kube-apiserver instances are at 1.32 and 1.31; kubelet is supported at 1.31, 1.30, and 1.29 (1.32 is not ...)"
        { "kubelet HA 1.32", ["v1.32.0", "v1.31.0"], Component.Kubelet, "v1.32.0", "w", SkewRule.KubeletNotNewerThanApiserver },
        { "kubelet HA 1.29", ["v1.32.0", "v1.31.0"], Component.Kubelet, "v1.29.0", "w", null },
        // kubelet < 1.25 may only be two minors older (the pre-1.28 policy): apiserver 1.27 with kubelet 1.24
        { "kubelet 1.24 vs 1.27", ["v1.27.0"], Component.Kubelet, "v1.24.17", "w", SkewRule.KubeletTooOld },
        { "kubelet 1.25 vs 1.28", ["v1.28.0"], Component.Kubelet, "v1.25.16", "w", null },
        { "kubelet 1.24 vs 1.26", ["v1.26.0"], Component.Kubelet, "v1.24.17", "w", null },
        // kube-proxy: same window vs apiserver; HA "supported at 1.31, 1.30 and 1.29"
        { "kube-proxy 1.29", ["v1.32.0"], Component.KubeProxy, "v1.29.0", null, null },
        { "kube-proxy 1.28", ["v1.32.0"], Component.KubeProxy, "v1.28.0", null, SkewRule.KubeProxyTooOld },
        { "kube-proxy HA 1.32", ["v1.32.0", "v1.31.0"], Component.KubeProxy, "v1.32.0", null, SkewRule.KubeProxyNotNewerThanApiserver },
        // controller-manager/scheduler: "kube-apiserver is at 1.32; supported at 1.32 and 1.31"
        { "kcm 1.31", ["v1.32.0"], Component.KubeControllerManager, "v1.31.0", "cp-1", null },
        { "scheduler 1.30", ["v1.32.0"], Component.KubeScheduler, "v1.30.0", "cp-1", SkewRule.ControlPlaneAtMostOneMinorOlder },
        { "scheduler newer", ["v1.31.0"], Component.KubeScheduler, "v1.32.0", "cp-1", SkewRule.ControlPlaneNotNewerThanApiserver },
        // "instances at 1.32 and 1.31 ... behind a load balancer: supported at 1.31 (1.32 is not ...)"
        { "ccm LB 1.31", ["v1.32.0", "v1.31.0"], Component.CloudControllerManager, "v1.31.0", null, null },
        { "ccm LB 1.32", ["v1.32.0", "v1.31.0"], Component.CloudControllerManager, "v1.32.0", null, SkewRule.ControlPlaneNotNewerThanApiserver },
        // kubeadm wires kcm/scheduler to the local apiserver: 1.32 kcm beside a 1.32 apiserver is fine mid-upgrade
        { "kcm local", ["v1.32.0", "v1.31.0"], Component.KubeControllerManager, "v1.32.0", "cp-1", null },
        // kubectl: "kube-apiserver is at 1.32; kubectl is supported at 1.33, 1.32, and 1.31"
        { "kubectl 1.33", ["v1.32.0"], Component.Kubectl, "v1.33.0", null, null },
        { "kubectl 1.30", ["v1.32.0"], Component.Kubectl, "v1.30.0", null, SkewRule.KubectlWithinOneMinor },
        // "instances at 1.32 and 1.31; kubectl is supported at 1.32 and 1.31"
        { "kubectl HA 1.33", ["v1.32.0", "v1.31.0"], Component.Kubectl, "v1.33.0", null, SkewRule.KubectlWithinOneMinor },
        { "kubectl HA 1.31", ["v1.32.0", "v1.31.0"], Component.Kubectl, "v1.31.0", null, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Should_apply_every_rule_of_the_policy(string name, string[] apiservers, Component component, string version, string? node, SkewRule? expected)
    {
        // Given apiservers and one other component instance
        var versions = Cluster(apiservers, new ComponentInstance(component, V(version), node));

        // When checked
        var violations = SkewPolicy.Check(versions);

        // Then exactly the expected rule is broken (or none)
        if (expected is null) violations.Should().BeEmpty(name);
        else violations.Select(v => v.Rule).Should().Equal([expected.Value], name);
    }

    [Theory]
    [InlineData("v1.29.0", "v1.32.0", null)]    // proxy three older than kubelet
    [InlineData("v1.32.0", "v1.29.0", null)]    // proxy three newer than kubelet
    [InlineData("v1.32.0", "v1.28.0", SkewRule.KubeProxyVsKubelet)]
    [InlineData("v1.24.0", "v1.27.0", SkewRule.KubeProxyVsKubelet)] // kube-proxy < 1.25: two either way
    public void Should_check_kube_proxy_against_the_kubelet_beside_it(string proxy, string kubelet, SkewRule? expected)
    {
        var versions = Cluster(["v1.32.0", "v1.32.0"],
            new ComponentInstance(Component.KubeProxy, V(proxy), "w1"), new ComponentInstance(Component.Kubelet, V(kubelet), "w1"));

        var rules = SkewPolicy.Check(versions).Where(v => v.Subject.Component == Component.KubeProxy && v.Reference.Component == Component.Kubelet).Select(v => v.Rule);

        if (expected is null) rules.Should().BeEmpty();
        else rules.Should().Equal(expected.Value);
    }

    [Fact]
    public void Should_name_components_versions_and_rule_in_the_message()
    {
        var violation = SkewPolicy.Check(Cluster(["v1.28.3"], new ComponentInstance(Component.Kubelet, V("v1.24.9"), "worker-1"))).Single();

        violation.Message.Should().Be("kubelet v1.24.9 on worker-1 vs kube-apiserver v1.28.3 on cp-1: kubelet < 1.25 may only be up to two minor versions older than kube-apiserver");
        violation.ExitCode.Should().Be(1);
    }

    [Fact]
    public void Should_find_nothing_without_apiservers() =>
        SkewPolicy.Check(new ClusterVersions([new ComponentInstance(Component.Kubelet, V("v1.20.0"), "n")])).Should().BeEmpty();
}
