using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Orchestration;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;
using Spectre.Console;

namespace Drydock.Cli.Tests.Orchestration;

/// <summary>`upgrade status`, `upgrade abort` and the lock refusal through the CLI, against an in-process sandbox API.</summary>
public sealed class RolloutStatusTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SandboxCluster _cluster;
    private readonly IKubeClient _kube;

    public RolloutStatusTests()
    {
        _cluster = new SandboxCluster(_time);
        _cluster.LoadList(BuiltInScenario.Build("default"));
        _cluster.Settle();
        _kube = _cluster.CreateClient();
    }

    public void Dispose() => _cluster.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = _time, GetEnv = _ => null, KubeClientFactory = (_, _) => Task.FromResult(_kube),
        };
        var code = await CliApp.RunAsync(args, services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<RunState> SeedFailedRun()
    {
        var plan = RolloutPlanner.ForUpgrade(_cluster.Objects<Drydock.Kube.Models.Node>(), ["1.28.15"], "1.27.16", 1);
        var state = new RunState
        {
            RunId = "run-20260301-110000", Plan = plan, Holder = "alice@bastion pid 7", StartedAt = _time.GetUtcNow().AddHours(-1), Status = RunStatus.Failed,
            Failure = new RunFailure { Node = "worker-2", StepId = StepIds.InstallKubelet, Step = "install kubelet, kubectl 1.28.15", Command = "apt-get install -y kubelet='1.28.15-*'", ExitCode = 100, Message = "`apt-get …` exited 100" },
        };
        state = state.WithNode(new NodeProgress { Node = "cp-1", Hop = 0, Phase = NodePhase.Done, WasCordoned = false, CompletedSteps = NodeProcedures.Upgrade(plan.Hops[0], NodeRole.FirstControlPlane).Select(s => s.Id).ToList() }, _time.GetUtcNow());
        state = state.WithNode(new NodeProgress { Node = "worker-2", Hop = 0, Phase = NodePhase.Failed, WasCordoned = false, CompletedSteps = [StepIds.SwitchRepository, StepIds.InstallKubeadm, StepIds.KubeadmVersion, StepIds.KubeadmNode, StepIds.Drain] }, _time.GetUtcNow());
        await new ConfigMapRunStateStore(_kube).SaveAsync(state, CancellationToken.None);
        await _kube.PatchNodeUnschedulableAsync("worker-2", true);
        return state;
    }

    [Fact]
    public async Task Should_say_when_no_run_is_recorded()
    {
        var (code, stdout, _) = await Run("upgrade", "status");
        code.Should().Be(0);
        stdout.Should().Contain("No run recorded (ConfigMap kube-system/drydock-upgrade-state not found).");
    }

    [Fact]
    public async Task Should_show_each_node_the_failure_and_how_to_resume()
    {
        // Given a failed run recorded in the cluster
        await SeedFailedRun();

        // When status is asked
        var (code, stdout, _) = await Run("upgrade", "status");

        // Then the run, the lock, every node's phase and the failure are shown with the way forward
        code.Should().Be(0);
        stdout.Should().Contain("run-20260301-110000 (upgrade), failed").And.Contain("Lock:     free")
            .And.Contain("worker-2").And.Contain("Failed").And.Contain("Stopped at install kubelet, kubectl 1.28.15 on worker-2")
            .And.Contain("drydock upgrade --resume");
    }

    [Fact]
    public async Task Should_refuse_to_resume_while_another_process_holds_the_lock()
    {
        // Given a failed run and a live lock holder
        await SeedFailedRun();
        await using var held = await new LeaseClusterLock(_kube, _time).AcquireAsync("alice@bastion pid 7", CancellationToken.None);

        // When someone else resumes
        var (code, _, stderr) = await Run("upgrade", "--resume", "--yes", "--transport", "ssh");

        // Then one line names the holder and when it took the lock; exit 1
        code.Should().Be(1);
        stderr.Trim().Should().StartWith("error: another drydock run holds the lock kube-system/drydock-lock: alice@bastion pid 7, acquired 2026-03-01T12:00:00Z");
    }

    [Fact]
    public async Task Should_abort_reporting_the_node_left_cordoned()
    {
        // Given a failed run with worker-2 drained mid-procedure
        await SeedFailedRun();

        // When aborted (stdin is not a terminal: no prompt)
        var (code, stdout, _) = await Run("upgrade", "abort");

        // Then it reports worker-2 as left cordoned, records the abort, and exits 1 because a node needs attention
        code.Should().Be(1);
        stdout.Should().Contain("left cordoned: worker-2 (last completed step: drain)");
        (await new ConfigMapRunStateStore(_kube).LoadAsync(CancellationToken.None))!.Status.Should().Be(RunStatus.Aborted);
        var (_, status, _) = await Run("upgrade", "status", "-o", "json");
        status.Should().Contain("\"status\":\"Aborted\"");
    }
}
