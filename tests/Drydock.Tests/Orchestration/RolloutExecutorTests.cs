using Drydock.Common;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>The orchestrator's logic in virtual time, on an in-memory cluster and simulated nodes.</summary>
public sealed class RolloutExecutorTests
{
    public sealed class StartAsync
    {
        [Fact]
        public async Task Should_upgrade_control_planes_one_at_a_time_then_workers_in_batches()
        {
            // Given 3 control planes and 5 workers at v1.27.6
            var h = new RolloutHarness();

            // When upgrading to 1.28.4 with --max-unavailable 2, watching skew at every event
            var skew = new List<string>();
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(maxUnavailable: 2), h.Progress(_ => skew.AddRange(h.Cluster.SkewViolations())), CancellationToken.None));

            // Then every node is Ready at v1.28.4 and schedulable, the run is recorded as completed, the lock released
            result.Succeeded.Should().BeTrue(result.Failure?.Message);
            h.Cluster.Nodes.Values.Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.28.4" && n.Spec!.Unschedulable != true);
            (await h.Store.LoadAsync(CancellationToken.None))!.Status.Should().Be(RunStatus.Completed);
            h.Cluster.Leases.Should().BeEmpty();
            // and only the first control plane ran `kubeadm upgrade apply`, exactly once
            h.Nodes.Count<KubeadmUpgradeApply>("cp-1").Should().Be(1);
            new[] { "cp-2", "cp-3" }.Should().OnlyContain(cp => h.Nodes.Count<KubeadmUpgradeApply>(cp) == 0 && h.Nodes.Count<KubeadmUpgradeNode>(cp) == 1);
            // and no worker step started before the last control plane finished; never more than 2 nodes out at once
            var lastCp = h.Events.FindLastIndex(e => e.Kind == RolloutEventKind.NodeCompleted && e.Role != NodeRole.Worker);
            var firstWorker = h.Events.FindIndex(e => e.Kind == RolloutEventKind.StepStarted && e.Role == NodeRole.Worker);
            lastCp.Should().BeLessThan(firstWorker);
            h.Drain.MaxCordonedAtOnce.Should().BeLessOrEqualTo(2);
            // and no kubelet was ever newer than the oldest API server
            skew.Should().BeEmpty();
            // and the local journal mirrors the run: every step event, and the final state
            var lines = File.ReadAllLines(h.JournalPath);
            lines.Count(l => l.Contains("\"kind\":\"StepCompleted\"", StringComparison.Ordinal)).Should().Be(h.Events.Count(e => e.Kind == RolloutEventKind.StepCompleted));
            JsonLinesRunJournal.LastState(h.JournalPath)!.Status.Should().Be(RunStatus.Completed);
        }

        [Fact]
        public async Task Should_run_the_seed_procedure_in_order_for_each_role()
        {
            // Given a small cluster
            var h = new RolloutHarness(controlPlanes: 2, workers: 1);

            // When it is upgraded
            await h.Drive(() => h.Executor().StartAsync(h.Plan(), h.Progress(), CancellationToken.None));

            // Then each node's steps ran in the guide's order (facts queries are the idempotence checks)
            string[] Steps(string node) => h.Events.Where(e => e.Node == node && e.Kind is RolloutEventKind.StepCompleted or RolloutEventKind.StepSkipped)
                .Select(e => e.StepId!).ToArray();
            Steps("cp-1").Should().Equal(StepIds.SwitchRepository, StepIds.InstallKubeadm, StepIds.KubeadmVersion, StepIds.KubeadmPlan, StepIds.KubeadmApply,
                StepIds.ControlPlaneHealth, StepIds.Drain, StepIds.InstallKubelet, StepIds.RestartKubelet, StepIds.WaitReady, StepIds.Uncordon);
            Steps("cp-2").Should().Equal(StepIds.SwitchRepository, StepIds.InstallKubeadm, StepIds.KubeadmVersion, StepIds.KubeadmNode,
                StepIds.ControlPlaneHealth, StepIds.Drain, StepIds.InstallKubelet, StepIds.RestartKubelet, StepIds.WaitReady, StepIds.Uncordon);
            Steps("worker-01").Should().Equal(StepIds.SwitchRepository, StepIds.InstallKubeadm, StepIds.KubeadmVersion, StepIds.KubeadmNode,
                StepIds.Drain, StepIds.InstallKubelet, StepIds.RestartKubelet, StepIds.WaitReady, StepIds.Uncordon);
            // and Kubernetes Events on the node tell the story
            h.Cluster.Events.Where(e => e.InvolvedObject.Name == "cp-1").Select(e => e.Reason).Should().Contain("DrydockStepCompleted");
        }

        [Fact]
        public async Task Should_skip_steps_that_are_already_done()
        {
            // Given worker-01 whose kubeadm package is already at 1.28.4 and whose repository already points at v1.28
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            h.Nodes.Installed["worker-01"] = new() { ["kubeadm"] = "1.28.4", ["kubelet"] = "1.27.6", ["kubectl"] = "1.27.6" };
            h.Nodes.RepoMinor["worker-01"] = "1.28";

            // When upgrading
            await h.Drive(() => h.Executor().StartAsync(h.Plan(), h.Progress(), CancellationToken.None));

            // Then the repository switch and the kubeadm install were skipped, not run
            h.Nodes.Count<SwitchRepository>("worker-01").Should().Be(0);
            h.Nodes.Count<InstallPackages>("worker-01", i => i.Packages.Contains("kubeadm")).Should().Be(0);
            h.Events.Where(e => e.Node == "worker-01" && e.Kind == RolloutEventKind.StepSkipped).Select(e => e.StepId)
                .Should().Equal(StepIds.SwitchRepository, StepIds.InstallKubeadm);
        }

        [Fact]
        public async Task Should_leave_a_node_that_was_cordoned_before_cordoned()
        {
            // Given worker-02 cordoned by someone else before the run
            var h = new RolloutHarness(controlPlanes: 1, workers: 2);
            h.Cluster.UpdateNode("worker-02", n => n with { Spec = new NodeSpec { Unschedulable = true } });

            // When upgrading
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(), h.Progress(), CancellationToken.None));

            // Then it is upgraded but stays cordoned (kured's rule), the others are schedulable
            result.Succeeded.Should().BeTrue();
            h.Cluster.Node("worker-02").Spec!.Unschedulable.Should().BeTrue();
            h.Cluster.Node("worker-02").Status!.NodeInfo!.KubeletVersion.Should().Be("v1.28.4");
            h.Cluster.Node("worker-01").Spec!.Unschedulable.Should().NotBe(true);
        }

        [Fact]
        public async Task Should_run_hop_after_hop_each_verified_before_the_next()
        {
            // Given a cluster two minors behind the target
            var h = new RolloutHarness(controlPlanes: 1, workers: 2);

            // When upgrading through 1.28.4 to 1.29.2
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(1, "1.28.4", "1.29.2"), h.Progress(), CancellationToken.None));

            // Then both hops ran, the repository switched per minor, and hop 2 began only after hop 1 was verified
            result.Succeeded.Should().BeTrue(result.Failure?.Message);
            h.Cluster.Nodes.Values.Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.29.2");
            h.Nodes.StepsOn("worker-01").OfType<SwitchRepository>().Select(s => s.Minor).Should().Equal("1.28", "1.29");
            var verified = h.Events.FindIndex(e => e.Kind == RolloutEventKind.HopVerified && e.Version == "1.28.4");
            var hop2 = h.Events.FindIndex(e => e.Kind == RolloutEventKind.StepStarted && e.Version == "1.29.2");
            verified.Should().BeGreaterThan(0).And.BeLessThan(hop2);
        }

        [Fact]
        public async Task Should_refuse_a_second_orchestrator_naming_the_holder()
        {
            // Given a run holding the lock (its process is alive: it keeps renewing)
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            await using var held = await h.Lock.AcquireAsync("alice@bastion pid 4242", CancellationToken.None);

            // When a second orchestrator starts
            var act = () => h.Executor("bob@laptop pid 7").StartAsync(h.Plan(), null, CancellationToken.None);

            // Then it refuses with the holder's name and when it acquired the lock; nothing was touched
            var error = (await act.Should().ThrowAsync<DrydockException>()).Which.Error;
            error.Should().BeOfType<LockHeldError>();
            error.Message.Should().Contain("alice@bastion pid 4242").And.Contain("acquired 2026-01-01T00:00:00Z").And.Contain("kube-system/drydock-lock");
            h.Nodes.Ran.Should().BeEmpty();
        }

        [Fact]
        public async Task Should_take_over_a_lease_whose_holder_stopped_renewing()
        {
            // Given a lease left by a process that died (never renewed) and its duration has passed
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            var stale = new LeaseClusterLock(h.Cluster, h.Time) { RenewInterval = TimeSpan.FromDays(1) };
            _ = await stale.AcquireAsync("dead@host pid 1", CancellationToken.None);
            h.Time.Advance(TimeSpan.FromSeconds(61));

            // When a new run starts
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(), null, CancellationToken.None));

            // Then it takes the lock and completes
            result.Succeeded.Should().BeTrue();
        }

        [Fact]
        public async Task Should_refuse_a_new_run_while_an_unfinished_one_is_recorded()
        {
            // Given a failed run in the cluster
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            h.Drain.FailNext["worker-01"] = 1;
            await h.Drive(() => h.Executor().StartAsync(h.Plan(), null, CancellationToken.None));

            // When a new run starts
            var act = () => h.Executor().StartAsync(h.Plan(), null, CancellationToken.None);

            // Then it points at --resume and abort
            (await act.Should().ThrowAsync<DrydockException>()).Which.Message.Should().Contain("--resume").And.Contain("abort");
        }
    }

    public sealed class Failures
    {
        [Fact]
        public async Task Should_stop_at_the_first_failed_step_with_node_step_command_output_and_resume_hint()
        {
            // Given worker-02's kubelet install (its second package install) fails once
            var h = new RolloutHarness(controlPlanes: 1, workers: 4);
            var plan = h.Plan();
            var executor = h.Executor();
            var progress = h.Progress(e =>
            {
                if (e is { Kind: RolloutEventKind.StepStarted, Node: "worker-02", StepId: StepIds.InstallKubelet })
                    h.Nodes.FailNext["InstallPackages:worker-02"] = 1;
            });

            // When upgrading
            var result = await h.Drive(() => executor.StartAsync(plan, progress, CancellationToken.None));

            // Then the run failed there, the node is left cordoned, later workers untouched
            result.Succeeded.Should().BeFalse();
            var f = result.Failure!;
            (f.Node, f.StepId, f.ExitCode).Should().Be(("worker-02", StepIds.InstallKubelet, 100));
            f.Command.Should().Be("install kubelet, kubectl 1.28.4");
            f.Output.Should().Contain("E: simulated failure");
            new RolloutFailedError(f).Message.Should().Contain("drydock upgrade --resume").And.Contain("left cordoned");
            h.Cluster.Node("worker-02").Spec!.Unschedulable.Should().BeTrue();
            h.Nodes.StepsOn("worker-03").Should().BeEmpty();
            h.Cluster.Events.Should().Contain(e => e.InvolvedObject.Name == "worker-02" && e.Type == "Warning");

            // When resumed
            var resumed = await h.Drive(() => h.Executor().ResumeAsync(h.Progress(), CancellationToken.None));

            // Then it completes, and worker-02 did not redo its drain or kubeadm steps
            resumed.Succeeded.Should().BeTrue(resumed.Failure?.Message);
            h.Nodes.Count<KubeadmUpgradeNode>("worker-02").Should().Be(1);
            h.Drain.Drained.Count(n => n == "worker-02").Should().Be(1);
            h.Cluster.Nodes.Values.Should().OnlyContain(n => n.Spec!.Unschedulable != true);
        }

        [Fact]
        public async Task Should_fail_the_drain_step_when_a_pdb_blocks_and_name_it()
        {
            // Given a drain that a PDB blocks
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            h.Drain.FailNext["worker-01"] = 1;

            // When upgrading
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(), null, CancellationToken.None));

            // Then the failure names the drain and the PDB message
            result.Failure!.StepId.Should().Be(StepIds.Drain);
            result.Failure.Message.Should().Contain("disruption budget");
        }

        [Fact]
        public async Task Should_give_up_waiting_for_ready_after_the_timeout_in_virtual_time()
        {
            // Given a worker that never becomes Ready after its kubelet restart
            var h = new RolloutHarness(controlPlanes: 1, workers: 1);
            var progress = h.Progress(e =>
            {
                if (e is { Kind: RolloutEventKind.StepCompleted, Node: "worker-01", StepId: StepIds.RestartKubelet })
                    h.Cluster.UpdateNode("worker-01", n => n with { Status = n.Status! with { Conditions = [new NodeCondition { Type = "Ready", Status = "False" }] } });
            });

            // When upgrading
            var started = h.Time.GetUtcNow();
            var result = await h.Drive(() => h.Executor().StartAsync(h.Plan(), progress, CancellationToken.None));

            // Then the wait gate fails after its 10 minutes of virtual time, naming what the node reports
            result.Failure!.StepId.Should().Be(StepIds.WaitReady);
            result.Failure.Message.Should().Contain("gave up after 10m").And.Contain("Ready=False");
            (h.Time.GetUtcNow() - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMinutes(10));
        }
    }
}
