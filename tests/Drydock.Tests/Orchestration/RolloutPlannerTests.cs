using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class RolloutPlannerTests
{
    public sealed class ForUpgrade
    {
        [Fact]
        public void Should_put_the_first_control_plane_alone_then_the_others_then_worker_batches()
        {
            // Given 3 control planes and 5 workers
            var h = new RolloutHarness(3, 5);

            // When planning with max-unavailable 2
            var plan = h.Plan(2);

            // Then: control-plane components of cp-1 (apply), cp-2, cp-3; then their kubelets; then workers 2 by 2
            var hop = plan.Hops.Single();
            hop.SwitchRepository.Should().BeTrue();
            hop.Batches.Select(b => $"{b.Stage}: {string.Join(' ', b.Nodes.Select(n => n.Name))}").Should().Equal(
                "ControlPlaneComponents: cp-1", "ControlPlaneComponents: cp-2", "ControlPlaneComponents: cp-3",
                "Kubelet: cp-1", "Kubelet: cp-2", "Kubelet: cp-3",
                "Full: worker-01 worker-02", "Full: worker-03 worker-04", "Full: worker-05");
            hop.Batches[0].Nodes[0].Role.Should().Be(NodeRole.FirstControlPlane);
        }

        [Fact]
        public void Should_not_switch_repository_for_a_patch_upgrade()
        {
            // Given / When a patch upgrade within 1.27
            var plan = new RolloutHarness(1, 1).Plan(1, "1.27.9");

            // Then the repository stays
            plan.Hops.Single().SwitchRepository.Should().BeFalse();
        }
    }
}
