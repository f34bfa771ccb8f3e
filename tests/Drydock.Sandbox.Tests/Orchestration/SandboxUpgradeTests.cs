using Drydock.Common;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Orchestration;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>End to end on the sandbox: 3 control planes + 10 workers from v1.27.16 to v1.28.15 with PDB-covered workloads.</summary>
public sealed class SandboxUpgradeTests
{
    [Fact]
    public async Task Should_upgrade_every_node_without_skew_or_pdb_violations_control_planes_first()
    {
        // Given the HA sandbox widened to 10 workers
        using var s = new SandboxRollout(UpgradeScenario.Build());

        // When upgrading to v1.28.15, two workers at a time
        var result = await s.Drive(() => s.Executor().StartAsync(s.Plan("1.28.15", 2), s.Progress(), CancellationToken.None));

        // Then every node is Ready at v1.28.15 and schedulable
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
        var nodes = s.Cluster.Objects<Node>();
        nodes.Should().HaveCount(13);
        nodes.Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.28.15" && n.Spec!.Unschedulable != true
            && n.Status.Conditions!.Any(c => c.Type == "Ready" && c.Status == "True"));
        (await s.Client.GetVersionAsync()).GitVersion.Should().Be("v1.28.15");
        // and the skew policy held at every step, and no PodDisruptionBudget was ever violated
        s.SkewViolations.Should().BeEmpty();
        s.Cluster.Stats.Violations.Should().BeEmpty();
        s.Cluster.Stats.EvictionsAccepted.Should().BeGreaterThan(20, "the drains really moved the workloads");
        // and every control-plane step came before any worker step
        var lastControlPlane = s.Events.FindLastIndex(e => e.Kind == RolloutEventKind.StepCompleted && e.Role != NodeRole.Worker);
        var firstWorker = s.Events.FindIndex(e => e.Kind == RolloutEventKind.StepStarted && e.Role == NodeRole.Worker);
        lastControlPlane.Should().BeLessThan(firstWorker);
        // and only cp-1 ran `kubeadm upgrade apply`
        s.Cluster.CommandLog("cp-1").Count(c => c.StartsWith("kubeadm upgrade apply", StringComparison.Ordinal)).Should().Be(1);
        s.Cluster.CommandLog("cp-2").Should().Contain("kubeadm upgrade node").And.NotContain(c => c.StartsWith("kubeadm upgrade apply", StringComparison.Ordinal));
    }

    public static TheoryData<int> CrashSeeds => new() { 1, 2, 3, 4, 5 };

    [Theory]
    [MemberData(nameof(CrashSeeds))]
    public async Task Should_complete_after_an_interruption_and_resume(int seed)
    {
        // Given a smaller HA cluster (3 control planes, 3 workers) and a stop point picked by the seed
        using var s = new SandboxRollout(UpgradeScenario.Build(workers: 3, extraReplicas: 0));
        var stopAt = new Random(seed * 104729).Next(5, 140);
        using var cts = new CancellationTokenSource();
        var seen = 0;

        // When the orchestrator is interrupted there, then a new one resumes
        var first = () => s.Drive(() => s.Executor("first@ci pid 1").StartAsync(s.Plan("1.28.15", 2), s.Progress(_ => { if (++seen == stopAt) cts.Cancel(); }), cts.Token));
        await first.Should().ThrowAsync<OperationCanceledException>();
        var result = await s.Drive(() => s.Executor("second@ci pid 2").ResumeAsync(s.Progress(), CancellationToken.None));

        // Then it completes: all nodes at the target, none cordoned, apply ran once, no PDB violations, no skew
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
        s.Cluster.Objects<Node>().Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.28.15" && n.Spec!.Unschedulable != true);
        s.Cluster.CommandLog("cp-1").Count(c => c.StartsWith("kubeadm upgrade apply", StringComparison.Ordinal)).Should().Be(1);
        foreach (var n in s.Cluster.Objects<Node>().Select(n => n.Metadata.Name!))
            s.Cluster.CommandLog(n).Count(c => c.Contains("systemctl restart kubelet", StringComparison.Ordinal)).Should().Be(1, n);
        s.Cluster.Stats.Violations.Should().BeEmpty();
        s.SkewViolations.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_refuse_a_second_orchestrator_while_the_first_runs()
    {
        // Given an upgrade in progress
        using var s = new SandboxRollout(UpgradeScenario.Build(workers: 3, extraReplicas: 0));
        Task? second = null;
        var run = () => s.Executor("alice@bastion pid 10").StartAsync(s.Plan("1.28.15", 1), s.Progress(e =>
        {
            // When a second orchestrator starts mid-run
            if (second is null && e.Kind == RolloutEventKind.StepStarted && e.Node == "cp-2")
                second = s.Executor("bob@laptop pid 20").StartAsync(s.Plan("1.28.15", 1), null, CancellationToken.None);
        }), CancellationToken.None);
        var result = await s.Drive(run);

        // Then the second refuses, naming the holder; the first completes
        var refused = async () => await second!;
        (await refused.Should().ThrowAsync<DrydockException>()).Which.Message.Should().Contain("alice@bastion pid 10").And.Contain("acquired");
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
    }

    [Fact]
    public async Task Should_run_maintenance_with_reboot_on_workers()
    {
        // Given the sandbox and its workers
        using var s = new SandboxRollout(UpgradeScenario.Build(workers: 3, extraReplicas: 0));
        var workers = s.Cluster.Objects<Node>().Where(n => !RolloutPlanner.IsControlPlane(n)).ToList();
        var boots = workers.ToDictionary(n => n.Metadata.Name!, n => n.Status!.NodeInfo!.BootID);
        var plan = RolloutPlanner.ForMaintenance(workers, 1, new MaintenanceWork("apt-get -y upgrade", Reboot: true));

        // When `drydock maintain -l role=worker --reboot -- apt-get -y upgrade` runs
        var result = await s.Drive(() => s.Executor().StartAsync(plan, s.Progress(), CancellationToken.None));

        // Then every worker ran the command, came back with a new boot id, is Ready and schedulable; no PDB violated
        result.Succeeded.Should().BeTrue(result.Failure?.Message);
        foreach (var n in s.Cluster.Objects<Node>().Where(n => boots.ContainsKey(n.Metadata.Name!)))
        {
            n.Status!.NodeInfo!.BootID.Should().NotBe(boots[n.Metadata.Name!]);
            n.Spec!.Unschedulable.Should().NotBe(true);
            s.Cluster.CommandLog(n.Metadata.Name!).Should().Contain("apt-get -y upgrade");
        }
        s.Cluster.Stats.Violations.Should().BeEmpty();
    }
}
