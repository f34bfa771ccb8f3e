using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Kubeadm;

/// <summary>Node-agent steps on simulated kubeadm nodes (default scenario: cp-1 + worker-1..3 at v1.27.16), virtual time.</summary>
public sealed class KubeadmNodeStepTests
{
    /// <summary>
    /// Runs the step on the test's thread under a <see cref="VirtualTimeDriver"/>: every continuation runs there, and
    /// the clock (and the cluster's controllers) moves to the next due time only when nothing is runnable — a fact, not
    /// a guess from a real-time pause, so a loaded machine cannot burn the simulated minutes before the step gets a
    /// thread. A step whose work escaped to the thread pool fails: a jump could have overtaken it.
    /// </summary>
    private static Task<NodeStepResult> Run(VirtualCluster v, string node, NodeStep step)
    {
        var driver = new VirtualTimeDriver(v.Clock, v.Cluster);
        driver.MarkStart();
        var outcome = driver.Run(_ => v.Cluster.NodeAgent(node).RunAsync(step), v.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));
        outcome.Task.IsCompleted.Should().BeTrue($"the step should finish within 10 simulated minutes ({outcome.StoppedBecause})");
        driver.EscapedWork.Should().Be(0, "the node agent's continuations should stay on the driver's context");
        return outcome.Task;
    }

    private static async Task InstallKubeadm(VirtualCluster v, string node, string version)
    {
        (await Run(v, node, new SwitchRepository(version[..version.LastIndexOf('.')]))).ExitCode.Should().Be(0);
        (await Run(v, node, new InstallPackages(["kubeadm"], version))).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Should_report_facts_and_only_the_configured_minor_until_the_repository_is_switched()
    {
        using var v = new VirtualCluster();

        var facts = (await Run(v, "cp-1", new QueryNodeFacts())).Facts!;
        facts.PackageManager.Should().Be("apt");
        facts.Installed.Should().Contain("kubeadm", "1.27.16").And.Contain("kubelet", "1.27.16");
        facts.Held.Should().BeEquivalentTo(["kubeadm", "kubectl", "kubelet"]);
        facts.RepositoryMinor.Should().Be("1.27");

        var list = await Run(v, "cp-1", new ListAvailableVersions("kubeadm"));
        list.CommandLine.Should().Be("apt-cache madison kubeadm");
        list.Versions.Should().OnlyContain(x => x.StartsWith("1.27.")).And.Contain("1.27.16");

        var tooNew = await Run(v, "cp-1", new InstallPackages(["kubeadm"], "1.28.4"));
        tooNew.ExitCode.Should().Be(100);
        tooNew.Stderr.Should().Be("E: Version '1.28.4-1.1' for 'kubeadm' was not found");
        tooNew.CommandLine.Should().Be("apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.28.4-1.1' && apt-mark hold kubeadm");

        await InstallKubeadm(v, "cp-1", "1.28.4");
        (await Run(v, "cp-1", new KubeadmVersion())).Stdout.Trim().Should().Be("v1.28.4");
    }

    [Theory]
    [InlineData("1.29.0", "1.29.0", "is too high; kubeadm can upgrade only 1 minor version at a time")]
    [InlineData("1.28.4", "1.28.9", "is higher than the kubeadm version \"v1.28.4\"")]
    [InlineData("1.27.16", "1.27.3", "is equal to or lower than the cluster version")]
    [InlineData("1.29.1", "1.28.4", "Kubeadm version v1.29.1 can only be used to upgrade to Kubernetes version 1.29")]
    public async Task Should_enforce_kubeadms_version_rules_on_apply(string kubeadm, string target, string error)
    {
        using var v = new VirtualCluster();
        await InstallKubeadm(v, "cp-1", kubeadm);

        var r = await Run(v, "cp-1", new KubeadmUpgradeApply(target));

        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Contain(error);
        r.CommandLine.Should().Be($"kubeadm upgrade apply v{target} --yes");
        v.Cluster.ApiServerVersion.Should().Be("v1.27.16");
    }

    [Fact]
    public async Task Should_upgrade_the_control_plane_addons_and_version_on_apply()
    {
        using var v = new VirtualCluster();
        await InstallKubeadm(v, "cp-1", "1.28.4");

        var r = await Run(v, "cp-1", new KubeadmUpgradeApply("1.28.4"));

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().Contain("[upgrade/successful] SUCCESS! Your cluster was upgraded to \"v1.28.4\". Enjoy!");
        v.Cluster.ApiServerVersion.Should().Be("v1.28.4");
        var images = v.Pods(ns: "kube-system").Where(p => p.Spec!.NodeName == "cp-1" && p.Metadata.Annotations?.ContainsKey("kubernetes.io/config.mirror") == true)
            .ToDictionary(p => p.Metadata.Labels!["component"], p => p.Spec!.Containers[0].Image);
        images["kube-apiserver"].Should().Be("registry.k8s.io/kube-apiserver:v1.28.4");
        images["kube-scheduler"].Should().Be("registry.k8s.io/kube-scheduler:v1.28.4");
        v.Cluster.Objects<DaemonSet>("kube-system").Single(d => d.Metadata.Name == "kube-proxy").Spec!.Template!.Spec!.Containers[0].Image
            .Should().Be("registry.k8s.io/kube-proxy:v1.28.4");
        v.Cluster.Objects<ConfigMap>("kube-system").Single(c => c.Metadata.Name == "kubeadm-config").Data!["ClusterConfiguration"]
            .Should().Contain("kubernetesVersion: v1.28.4");
        (await v.Client.GetVersionAsync()).GitVersion.Should().Be("v1.28.4");

        // And the kube-proxy DaemonSet rolls its pods to the new image, one node at a time
        v.Advance(60);
        v.Pods(ns: "kube-system").Where(p => p.Metadata.Name!.StartsWith("kube-proxy-")).Should().HaveCount(4)
            .And.OnlyContain(p => p.Spec!.Containers[0].Image == "registry.k8s.io/kube-proxy:v1.28.4" && VirtualCluster.Ready(p));
    }

    [Fact]
    public async Task Should_refuse_apply_on_a_worker_and_update_a_workers_kubelet_after_node_upgrade_and_restart()
    {
        using var v = new VirtualCluster();
        (await Run(v, "worker-1", new KubeadmUpgradeApply("1.27.16"))).Stderr.Should().Contain("[ERROR StaticPodManifest]");
        await InstallKubeadm(v, "cp-1", "1.28.4");
        (await Run(v, "cp-1", new KubeadmUpgradeApply("1.28.4"))).ExitCode.Should().Be(0);

        await InstallKubeadm(v, "worker-1", "1.28.4");
        var node = await Run(v, "worker-1", new KubeadmUpgradeNode());
        node.Stdout.Should().Contain("[upgrade] The configuration for this node was successfully updated!");
        (await Run(v, "worker-1", new ReadFile("/var/lib/kubelet/config.yaml"))).Stdout.Should().Contain("written by kubeadm v1.28.4");
        var install = await Run(v, "worker-1", new InstallPackages(["kubelet", "kubectl"], "1.28.4"));
        install.CommandLine.Should().Contain("apt-get install -y kubelet='1.28.4-1.1' kubectl='1.28.4-1.1'");

        // When the kubelet restarts, the node is NotReady for a moment, then reports the new version
        (await Run(v, "worker-1", new RestartKubelet())).CommandLine.Should().Be("systemctl daemon-reload && systemctl restart kubelet");
        Ready(v, "worker-1").Should().BeFalse();
        v.Advance(5);
        Ready(v, "worker-1").Should().BeTrue();
        v.Cluster.Objects<Node>().Single(n => n.Metadata.Name == "worker-1").Status!.NodeInfo!.KubeletVersion.Should().Be("v1.28.4");
    }

    [Fact]
    public async Task Should_fail_scripted_commands_and_be_unreachable_while_rebooting()
    {
        using var v = new VirtualCluster();
        v.Cluster.ScriptFailure("worker-2", "apt-get update", 100, "E: network down");
        var failed = await Run(v, "worker-2", new SwitchRepository("1.28"));
        (failed.ExitCode, failed.Stderr).Should().Be((100, "E: network down"));

        await Run(v, "worker-2", new Reboot());
        var during = async () => await v.Cluster.NodeAgent("worker-2").RunAsync(new QueryNodeFacts());
        await during.Should().ThrowAsync<NodeAgentException>();
        v.Advance(60);
        (await Run(v, "worker-2", new QueryNodeFacts())).Facts!.BootId.Should().NotBe("00000000-0000-4000-8000-000000000212");
    }

    private static bool Ready(VirtualCluster v, string node) =>
        v.Cluster.Objects<Node>().Single(n => n.Metadata.Name == node).Status!.Conditions!.Single(c => c.Type == "Ready").Status == "True";
}
