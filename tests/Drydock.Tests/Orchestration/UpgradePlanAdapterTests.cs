using Drydock.Orchestration;
using Drydock.Planning.Inventory;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Tests.Orchestration;

public sealed class UpgradePlanAdapterTests
{
    [Fact]
    public void Should_turn_the_planners_steps_into_staged_batches_with_roles()
    {
        // Given the realistic HA fixture (3 control planes, 5 workers at v1.27.16) planned two hops ahead, 2 workers at a time
        var snapshot = SnapshotLoader.LoadFile(Drydock.Tests.Planning.ApprovedFile.Beside("../Planning/Fixtures/kubeadm-v1.27-ha.json"));
        var v127 = KubeVersion.Parse("v1.27.16");
        var v128 = KubeVersion.Parse("v1.28.15");
        var v129 = KubeVersion.Parse("v1.29.14");
        var plan = UpgradePlanner.Plan(snapshot, v127, [new UpgradeHop(v127, v128), new UpgradeHop(v128, v129)],
            new UpgradePlanOptions { MaxUnavailable = BatchSize.Parse("2") });

        // When adapted
        var rollout = UpgradePlanAdapter.ToRolloutPlan(plan);

        // Then each hop: components of cp-1 (apply) then the other control planes, their kubelets, then workers in pairs
        rollout.Hops.Select(h => (h.Version, h.SwitchRepository)).Should().Equal(("1.28.15", true), ("1.29.14", true));
        var hop = rollout.Hops[0];
        hop.Batches.Take(6).Select(b => (b.Stage, b.Nodes.Single().Role)).Should().Equal(
            (BatchStage.ControlPlaneComponents, NodeRole.FirstControlPlane), (BatchStage.ControlPlaneComponents, NodeRole.ControlPlane),
            (BatchStage.ControlPlaneComponents, NodeRole.ControlPlane), (BatchStage.Kubelet, NodeRole.FirstControlPlane),
            (BatchStage.Kubelet, NodeRole.ControlPlane), (BatchStage.Kubelet, NodeRole.ControlPlane));
        hop.Batches.Skip(6).Should().OnlyContain(b => b.Stage == BatchStage.Full && b.Nodes.Count <= 2 && b.Nodes.All(n => n.Role == NodeRole.Worker));
        hop.Batches.Skip(6).SelectMany(b => b.Nodes).Should().HaveCount(5);
        rollout.AllNodes().Count().Should().Be(16, "8 nodes in each of 2 hops");
    }
}
