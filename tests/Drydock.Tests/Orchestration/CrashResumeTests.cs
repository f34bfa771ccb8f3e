using Drydock.Nodes;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>
/// The orchestrator stopped at 20 deterministic points (Ctrl-C between any two events), then resumed by a new
/// executor — as a new process would: the run always completes, nothing is left cordoned, and no step that must
/// not repeat ran twice.
/// </summary>
public sealed class CrashResumeTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Should_complete_after_resume_from_any_interruption(int seed)
    {
        // Given a cluster whose upgrade emits E events, and a stop point chosen by the seed
        var total = await CountEvents();
        var stopAt = new Random(seed * 7919).Next(2, total - 1);
        var h = new RolloutHarness(controlPlanes: 3, workers: 4);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var progress = h.Progress(_ => { if (++seen == stopAt) cts.Cancel(); });

        // When the run is interrupted there
        var interrupted = () => h.Drive(() => h.Executor("first@host pid 1").StartAsync(h.Plan(maxUnavailable: 2), progress, cts.Token));
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        (await h.Store.LoadAsync(CancellationToken.None))!.Status.Should().Be(RunStatus.Interrupted);

        // and a new process resumes it
        var result = await h.Drive(() => h.Executor("second@host pid 2").ResumeAsync(h.Progress(), CancellationToken.None));

        // Then it completes with every node at the target and schedulable
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
        h.Cluster.Nodes.Values.Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.28.4" && n.Spec!.Unschedulable != true);
        // and `kubeadm upgrade apply` ran exactly once; no package install, repository switch or kubelet restart repeated
        h.Nodes.Count<KubeadmUpgradeApply>("cp-1").Should().Be(1);
        foreach (var node in h.Cluster.Nodes.Keys)
        {
            h.Nodes.Count<SwitchRepository>(node).Should().BeLessOrEqualTo(1, node);
            h.Nodes.Count<InstallPackages>(node, i => i.Packages.Contains("kubeadm")).Should().Be(1, node);
            h.Nodes.Count<InstallPackages>(node, i => i.Packages.Contains("kubelet")).Should().Be(1, node);
            h.Nodes.Count<RestartKubelet>(node).Should().Be(1, node);
        }
        foreach (var cp in new[] { "cp-2", "cp-3" }) h.Nodes.Count<KubeadmUpgradeNode>(cp).Should().Be(1, cp);
        h.Drain.MaxCordonedAtOnce.Should().BeLessOrEqualTo(2);
    }

    private static async Task<int> CountEvents()
    {
        var h = new RolloutHarness(controlPlanes: 3, workers: 4);
        await h.Drive(() => h.Executor().StartAsync(h.Plan(maxUnavailable: 2), h.Progress(), CancellationToken.None));
        return h.Events.Count;
    }
}
