using Drydock.Common;
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

            // Then: [cp-1 apply] [cp-2] [cp-3] [w1 w2] [w3 w4] [w5], and the minor hop switches the repository
            var hop = plan.Hops.Single();
            hop.SwitchRepository.Should().BeTrue();
            hop.Batches.Select(b => string.Join(' ', b.Nodes.Select(n => n.Name))).Should()
                .Equal("cp-1", "cp-2", "cp-3", "worker-01 worker-02", "worker-03 worker-04", "worker-05");
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

    public sealed class Resolve
    {
        public static TheoryData<string, int, int> Cases => new()
        {
            { "1", 10, 1 }, { "3", 10, 3 }, { "25%", 10, 2 }, { "10%", 5, 1 }, { "100%", 7, 7 },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Should_resolve_counts_and_percentages(string text, int nodes, int expected) =>
            MaxUnavailable.Resolve(text, nodes).Should().Be(expected);

        [Theory]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("abc")]
        [InlineData("150%")]
        public void Should_reject_bad_values_with_a_usage_error(string text)
        {
            var act = () => MaxUnavailable.Resolve(text, 10);
            act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>()
                .Which.Message.Should().Contain("--max-unavailable");
        }
    }
}
