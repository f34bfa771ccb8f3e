using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class AbortTests
{
    [Fact]
    public async Task Should_uncordon_finished_nodes_report_the_rest_and_release_the_lock()
    {
        // Given a run stopped while worker-01 was about to be uncordoned and worker-02 (same batch) was drained, mid-procedure
        var h = new RolloutHarness(controlPlanes: 1, workers: 2);
        using var cts = new CancellationTokenSource();
        var progress = h.Progress(e =>
        {
            if (e is { Kind: RolloutEventKind.StepStarted, Node: "worker-02", StepId: StepIds.InstallKubelet }) h.Nodes.FailNext["InstallPackages:worker-02"] = 1;
            if (e is { Kind: RolloutEventKind.StepStarted, Node: "worker-01", StepId: StepIds.Uncordon }) cts.Cancel();
        });
        var run = () => h.Drive(() => h.Executor().StartAsync(h.Plan(maxUnavailable: 2), progress, cts.Token));
        await run.Should().ThrowAsync<OperationCanceledException>();
        h.Cluster.Node("worker-01").Spec!.Unschedulable.Should().BeTrue();
        var worker02CordonedBefore = h.Cluster.Node("worker-02").Spec!.Unschedulable == true;

        // When aborted
        var report = await RolloutAborter.AbortAsync(h.Cluster, h.Store, h.Lock, h.Drain, NoRunJournal.Instance, "ops@host pid 9", h.Time, CancellationToken.None);

        // Then worker-01 (upgraded, Ready) is uncordoned; worker-02 — mid-procedure, and how far it got depends on how
        // the two nodes of the batch interleaved — stays cordoned and is reported with its last completed step if the
        // run had cordoned it; the run is recorded aborted; the lock is free
        report.Uncordoned.Should().Equal("worker-01");
        h.Cluster.Node("worker-01").Spec!.Unschedulable.Should().NotBe(true);
        if (worker02CordonedBefore)
        {
            report.LeftCordoned.Should().ContainSingle().Which.Should().StartWith("worker-02 (last completed step: ");
            h.Cluster.Node("worker-02").Spec!.Unschedulable.Should().BeTrue();
        }
        else report.LeftCordoned.Should().BeEmpty();
        (await h.Store.LoadAsync(CancellationToken.None))!.Status.Should().Be(RunStatus.Aborted);
        h.Cluster.Leases.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_ask_a_running_orchestrator_to_stop_and_let_it_clean_up()
    {
        // Given a running upgrade of three single-node batches
        var h = new RolloutHarness(controlPlanes: 1, workers: 3);
        AbortReport? requested = null;
        var progress = h.Progress(e =>
        {
            // When another operator aborts while worker-01 is being upgraded
            if (e is { Kind: RolloutEventKind.StepStarted, Node: "worker-01", StepId: StepIds.KubeadmNode } && requested is null)
                requested = RolloutAborter.AbortAsync(h.Cluster, h.Store, h.Lock, h.Drain, NoRunJournal.Instance, "ops@host pid 9", h.Time, CancellationToken.None)
                    .GetAwaiter().GetResult();
        });
        var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(), progress, CancellationToken.None));

        // Then the abort was only requested (the runner holds the lock), the runner stopped before worker-02, and recorded the abort
        requested!.RequestedFrom!.Identity.Should().Be("tester@host pid 1");
        result.State.Status.Should().Be(RunStatus.Aborted);
        h.Nodes.StepsOn("worker-02").Should().BeEmpty();
        h.Events.Should().Contain(e => e.Kind == RolloutEventKind.RunAborted);
    }
}
