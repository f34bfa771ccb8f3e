using Drydock.Nodes;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class MaintainTests
{
    [Fact]
    public async Task Should_cordon_drain_run_reboot_wait_and_uncordon_each_node()
    {
        // Given three workers, one of them cordoned beforehand
        var h = new RolloutHarness(controlPlanes: 0, workers: 3);
        h.Cluster.UpdateNode("worker-03", n => n with { Spec = new Drydock.Kube.Models.NodeSpec { Unschedulable = true } });
        var plan = RolloutPlanner.ForMaintenance(h.Cluster.Nodes.Values.ToList(), 2, new MaintenanceWork("apt-get -y upgrade", Reboot: true));

        // When maintenance runs with a reboot
        var result = await h.Drive(() => h.Executor().StartAsync(plan, h.Progress(), CancellationToken.None));

        // Then every node ran the command, rebooted (new boot id), and all but the pre-cordoned one are schedulable
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
        foreach (var n in new[] { "worker-01", "worker-02", "worker-03" })
        {
            h.Nodes.StepsOn(n).OfType<RunCommand>().Select(c => c.Command).Should().Equal("apt-get -y upgrade");
            h.Nodes.Count<Reboot>(n).Should().Be(1);
            h.Cluster.Node(n).Status!.NodeInfo!.BootID.Should().Be("boot-2-" + n);
        }
        h.Cluster.Node("worker-01").Spec!.Unschedulable.Should().NotBe(true);
        h.Cluster.Node("worker-03").Spec!.Unschedulable.Should().BeTrue();
        h.Drain.MaxCordonedAtOnce.Should().BeLessOrEqualTo(2);
        h.Events.Where(e => e.Node == "worker-01" && e.Kind == RolloutEventKind.StepCompleted).Select(e => e.StepId).Should()
            .Equal(StepIds.Cordon, StepIds.Drain, StepIds.Command, StepIds.Reboot, StepIds.WaitReboot, StepIds.WaitReady, StepIds.Uncordon);
    }
}
