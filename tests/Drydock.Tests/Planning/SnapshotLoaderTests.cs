using System.Text;
using Drydock.Common;
using Drydock.Planning.Inventory;
using Drydock.Versions;

namespace Drydock.Tests.Planning;

public sealed class SnapshotLoaderTests
{
    private static readonly ClusterSnapshot Fixture = SnapshotLoader.LoadFile(ApprovedFile.Beside("Fixtures/kubeadm-v1.27-ha.json"));

    [Fact]
    public void Should_read_versions_like_kubeadm_upgrade_plan()
    {
        // Given the v1.27 HA fixture / Then the inventory has what kubeadm's plan reads, and more
        Fixture.ClusterVersion.Should().Be(KubeVersion.Parse("v1.27.16"));
        Fixture.ApiServerVersion.Should().Be(KubeVersion.Parse("v1.27.16"));
        Fixture.KubeadmKubernetesVersion.Should().Be(KubeVersion.Parse("v1.27.16"));
        Fixture.KubeProxyVersion.Should().Be(KubeVersion.Parse("v1.27.16"));
        Fixture.CoreDnsVersion.Should().Be("v1.10.1");
        Fixture.ControlPlane.Select(c => c.Node).Should().Equal("cp-1", "cp-2", "cp-3");
        Fixture.ControlPlane.Should().OnlyContain(c => c.Etcd!.Tag == "3.5.12-0" && c.KubeScheduler!.Version! == KubeVersion.Parse("v1.27.16"));
        Fixture.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Should_read_nodes_with_roles_taints_and_capacity()
    {
        var cp = Fixture.Nodes.Single(n => n.Name == "cp-1");
        cp.IsControlPlane.Should().BeTrue();
        cp.Roles.Should().Equal("control-plane");
        cp.Taints.Should().ContainSingle(t => t.Key == "node-role.kubernetes.io/control-plane" && t.Effect == "NoSchedule");
        var w = Fixture.Nodes.Single(n => n.Name == "worker-1");
        w.Allocatable.Should().Be(new ResourceAmounts(4000, 7820L * 1024 * 1024, 110));
        w.Ready.Should().BeTrue();
        w.Unschedulable.Should().BeFalse();
        Fixture.Nodes.Should().OnlyContain(n => n.KubeletVersionText == "v1.27.16");
    }

    [Fact]
    public void Should_read_pods_with_owners_requests_and_volumes()
    {
        var payments = Fixture.Pods.Where(p => p.Labels.GetValueOrDefault("app") == "payments").ToList();
        payments.Should().HaveCount(2).And.OnlyContain(p => p.NodeName == "worker-4" && p.Controller!.Kind == "ReplicaSet"
            && p.Workload!.Kind == "Deployment" && p.Workload.Name == "payments" && p.Requests == new ResourceAmounts(100, 128L * 1024 * 1024, 1));
        Fixture.Pods.Single(p => p.Name == "debug-shell").Controller.Should().BeNull();
        Fixture.Pods.Where(p => p.HasEmptyDir).Select(p => p.Labels["app"]).Should().Equal("cache", "cache");
        Fixture.Pods.Single(p => p.Name == "nightly-report-x7k2p").IsFinished.Should().BeTrue();
        Fixture.Pods.Single(p => p.Name == "zookeeper-0").TerminationGracePeriodSeconds.Should().Be(120);
        Fixture.Pods.Count(p => p.IsMirror).Should().Be(12);
        Fixture.Pods.Count(p => p.IsDaemonSetPod).Should().Be(16);
    }

    [Fact]
    public void Should_read_pdbs_with_selectors_and_status()
    {
        var pdb = Fixture.Pdbs.Single(p => p.Name == "payments-pdb");
        pdb.MinAvailable!.IntValue.Should().Be(2);
        pdb.DisruptionsAllowed.Should().Be(0);
        pdb.Selector!.MatchLabels.Should().Contain("app", "payments");
        Fixture.ApiUsages.Should().Contain(u => u.ApiVersion == "policy/v1" && u.Kind == "PodDisruptionBudget" && u.Count == 5);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("{\"kind\":\"Node\"}", "expected a Kubernetes List")]
    [InlineData("[1,2]", "expected a Kubernetes List")]
    [InlineData("{\"items\":[1]}", "item 1 is not an object")]
    [InlineData("{\"items\":[{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":5}}]}", "cannot read snapshot")]
    public void Should_reject_bad_files_with_one_clear_usage_error(string content, string expected)
    {
        // Given a file that is not a List / When loaded
        var act = () => SnapshotLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(content)), "snapshot x.json", "x.json");

        // Then one usage error naming the file
        var error = act.Should().Throw<DrydockException>().Which.Error;
        error.Should().BeOfType<UsageError>();
        error.Message.Should().Contain("x.json").And.Contain(expected).And.NotContain("\n");
    }

    [Fact]
    public void Should_report_a_missing_file_as_usage_error()
    {
        var act = () => SnapshotLoader.LoadFile("/nonexistent/snap.json");
        act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>();
    }

    [Fact]
    public void Should_warn_about_a_missing_kubeadm_config_and_bad_kubelet_versions()
    {
        var objects = new TestCluster().ControlPlane("cp").Worker("w", kubelet: "garbage").Objects() with { ConfigMaps = [] };

        var snapshot = SnapshotBuilder.Build(objects, "t");

        snapshot.Warnings.Should().Contain("the ConfigMap \"kubeadm-config\" in the \"kube-system\" namespace was not found");
        snapshot.Warnings.Should().Contain(w => w.StartsWith("node w: kubelet version:"));
        snapshot.Nodes.Single(n => n.Name == "w").KubeletVersion.Should().BeNull();
    }
}
