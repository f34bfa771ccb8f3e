using Drydock.Common;
using Drydock.Kube.Models;
using Drydock.Planning.Inventory;
using Drydock.Scheduling;
using Drydock.Tests.Planning;

namespace Drydock.Tests.Scheduling;

public sealed class SnapshotBatchingTests
{
    private static readonly ClusterSnapshot Fixture = SnapshotLoader.LoadFile(ApprovedFile.Beside("../Planning/Fixtures/kubeadm-v1.27-ha.json"));

    public sealed class Input
    {
        [Fact]
        public void Should_move_only_controller_owned_pods_and_reserve_daemonset_and_mirror_pods()
        {
            // Given the fixture (DaemonSets on every node, static pods on control planes, a bare pod, a finished Job pod)
            // When it becomes the scheduler's input
            var input = SnapshotBatching.Input(Fixture);

            // Then only pods that come back elsewhere move; the ones that stay count as reserved room
            input.Pods.Should().NotContain(p => p.Key.StartsWith("kube-system/kube-proxy", StringComparison.Ordinal) || p.Key.StartsWith("kube-system/calico-node", StringComparison.Ordinal));
            input.Pods.Should().NotContain(p => p.Key.StartsWith("kube-system/etcd-", StringComparison.Ordinal));
            input.Pods.Should().NotContain(p => p.Key == "default/debug-shell");
            input.Pods.Should().NotContain(p => p.Key.StartsWith("shop/nightly-report", StringComparison.Ordinal));
            input.Pods.Should().Contain(p => p.Key.StartsWith("shop/payments-", StringComparison.Ordinal) && p.Node == "worker-4");
            input.Nodes.Single(n => n.Name == "worker-1").Reserved.Pods.Should().BeGreaterThanOrEqualTo(2);
            input.Nodes.Where(n => n.ToBeDrained).Select(n => n.Name).Should().Equal("worker-1", "worker-2", "worker-3", "worker-4", "worker-5");
        }

        [Theory]
        [InlineData("shop/payments-pdb", 0)]
        [InlineData("shop/web-pdb", 1)]
        [InlineData("data/zk-pdb", 1)]
        public void Should_give_each_budget_its_steady_state_allowance(string pdb, int allowed)
        {
            var input = SnapshotBatching.Input(Fixture);

            input.Budgets.Single(b => b.Id == pdb).AllowedDisruptions.Should().Be(allowed);
            input.Pods.Where(p => p.Budgets.Contains(pdb)).Should().NotBeEmpty();
        }
    }

    public sealed class Budgets
    {
        [Theory]
        [InlineData(null, "50%", 3, 2)]
        [InlineData(null, "34%", 3, 2)] // ceil(1.02) = 2 of 3 needed
        [InlineData("34%", null, 3, 1)] // maxUnavailable rounds up too: ceil(1.02) = 2 unavailable → 1 desired
        [InlineData(null, "100%", 2, 2)]
        [InlineData("0", null, 4, 4)]
        public void Should_round_percentages_up_as_the_disruption_controller_does(string? maxUnavailable, string? minAvailable, int expected, int desired)
        {
            var pdb = new PdbState
            {
                Namespace = "ns", Name = "b",
                MaxUnavailable = Parse(maxUnavailable), MinAvailable = Parse(minAvailable),
            };

            SteadyStateBudgets.DesiredHealthy(pdb, expected).Should().Be(desired);
        }

        private static IntOrString? Parse(string? s) => s is null ? null : int.TryParse(s, out var i) ? IntOrString.FromInt(i) : IntOrString.FromString(s);
    }

    public sealed class Strategies
    {
        [Fact]
        public void Should_put_the_node_whose_budget_never_allows_last_with_smart()
        {
            // Given the fixture, whose shop/payments PDB (minAvailable 2, both pods on worker-4) never allows a disruption
            var strategy = new SchedulerBatchStrategy(BatchStrategyKind.Smart);

            // When smart batches the workers two at a time
            var schedule = strategy.Schedule(Fixture.WorkerNodes.ToList(), 2, Fixture);

            // Then worker-4 is alone and last, named with its blocker, and no earlier batch is blocked or strands a pod
            schedule.Batches[^1].Nodes.Should().Equal("worker-4");
            schedule.Batches[^1].BlockedBy.Should().Equal("shop/payments-pdb");
            schedule.Batches.Take(schedule.Batches.Count - 1).Should().OnlyContain(b => b.BlockedBy.Count == 0 && b.Unschedulable.Count == 0);
        }

        [Theory]
        [InlineData("serial", 2, new[] { 1, 1, 1, 1, 1 })]
        [InlineData("fixed", 2, new[] { 2, 2, 1 })]
        public void Should_keep_inventory_order_for_serial_and_fixed(string name, int size, int[] sizes)
        {
            var batches = BatchStrategies.Parse(name).Batch(Fixture.WorkerNodes.ToList(), size, Fixture);

            batches.Select(b => b.Count).Should().Equal(sizes);
            batches.SelectMany(b => b).Select(n => n.Name).Should().Equal("worker-1", "worker-2", "worker-3", "worker-4", "worker-5");
        }

        [Fact]
        public void Should_refuse_an_unknown_strategy_as_bad_input()
        {
            var act = () => BatchStrategies.ParseKind("fastest");

            act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>()
                .Which.Message.Should().Contain("serial, fixed or smart");
        }
    }
}
