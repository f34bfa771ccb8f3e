using Drydock.Cli.Commands;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Drain;
using Spectre.Console;

namespace Drydock.Cli.Tests.Drain;

/// <summary>Progress events → kubectl's lines (stdout vs stderr as kubectl splits them).</summary>
public sealed class DrainLineRendererTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PodRef Web1 = new("default", "web-1", "u1");
    private static readonly PodRef Db0 = new("prod", "db-0", "u2");

    private static (string Out, string Err) Render(OutputFormat format, params DrainEvent[] events)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = new ManualTimeProvider(), GetEnv = _ => null,
            KubeClientFactory = (_, _) => throw new InvalidOperationException(),
        };
        var renderer = new DrainLineRenderer(services, format);
        foreach (var e in events) renderer.Report(e);
        return (stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    private static PdbDiagnosis Blocking => new()
    {
        Namespace = "prod", Name = "db-pdb", MinAvailable = "2", CurrentHealthy = 2, DesiredHealthy = 2, ExpectedPods = 3, DisruptionsAllowed = 0,
        Outlook = PdbOutlook.WillWait, Explanation = "1 pod(s) to evict but 0 disruption(s) allowed now: evictions will be retried as replacements become healthy",
    };

    [Fact]
    public void Should_print_kubectls_success_lines()
    {
        // Given a successful drain's events
        var (stdout, stderr) = Render(OutputFormat.Table,
            new NodeScheduling("n1", At, true, true, DryRunMode.None),
            new DrainWarning("n1", At, "ignoring DaemonSet-managed Pods: kube-system/kube-proxy-abc"),
            new PodEvicting("n1", At, Web1, false, DryRunMode.None),
            new PodTerminating("n1", At, Web1),
            new PodGone("n1", At, Web1, false, TimeSpan.FromSeconds(1)),
            new DrainFinished("n1", At, new NodeDrainResult { Node = "n1" }));

        // Then stdout and stderr read as kubectl's
        stdout.Should().Be("node/n1 cordoned\nevicting pod default/web-1\npod/web-1 evicted\nnode/n1 drained\n");
        stderr.Should().Be("Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-abc\n");
    }

    [Theory]
    [InlineData(DryRunMode.Client, " (dry run)")]
    [InlineData(DryRunMode.Server, " (server dry run)")]
    public void Should_suffix_every_node_and_pod_line_in_dry_run(DryRunMode mode, string suffix)
    {
        var (stdout, _) = Render(OutputFormat.Table,
            new NodeScheduling("n1", At, true, false, mode),
            new PodEvicting("n1", At, Web1, false, mode),
            new DrainFinished("n1", At, new NodeDrainResult { Node = "n1", DryRun = mode }));

        stdout.Should().Be($"node/n1 already cordoned{suffix}\nevicting pod default/web-1{suffix}\nnode/n1 drained{suffix}\n");
    }

    [Fact]
    public void Should_print_the_retry_line_and_the_blocking_budget_once_per_change()
    {
        // Given three refusals with the same budget numbers
        var retry = new PodEvictionRetry("n1", At, Db0,
            "error when evicting pods/\"db-0\" -n \"prod\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.", TimeSpan.FromSeconds(5), Blocking);
        var (stdout, stderr) = Render(OutputFormat.Table,
            new PodEvicting("n1", At, Db0, false, DryRunMode.None), retry,
            new PodEvicting("n1", At, Db0, false, DryRunMode.None), retry);

        // Then kubectl's retry line each time, and the budget's numbers (which kubectl hides) once
        stdout.Should().Be("evicting pod prod/db-0\nevicting pod prod/db-0\n");
        stderr.Should().Be(
            "error when evicting pods/\"db-0\" -n \"prod\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n" +
            "  PodDisruptionBudget prod/db-pdb (minAvailable 2, healthy 2/3 (desired 2), disruptions allowed 0): 1 pod(s) to evict but 0 disruption(s) allowed now: evictions will be retried as replacements become healthy\n" +
            "error when evicting pods/\"db-0\" -n \"prod\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n");
    }

    [Fact]
    public void Should_print_kubectls_failure_lines_with_the_pending_pods()
    {
        // Given a node that timed out with a pod still there
        var error = new DrainTimedOut("error when evicting pods/\"db-0\" -n \"prod\": global timeout reached: 12s", TimeSpan.FromSeconds(12));
        var (stdout, stderr) = Render(OutputFormat.Table,
            new DrainFinished("n1", At, new NodeDrainResult { Node = "n1", Error = error, PendingPods = ["prod/db-0"] }));

        // Then the pending pods block and the continuing line go to stderr
        stdout.Should().BeEmpty();
        stderr.Should().Be(
            "There are pending pods in node \"n1\" when an error occurred: error when evicting pods/\"db-0\" -n \"prod\": global timeout reached: 12s\n" +
            "pod/db-0\n" +
            "error: unable to drain node \"n1\" due to error: error when evicting pods/\"db-0\" -n \"prod\": global timeout reached: 12s, continuing command...\n");
    }

    [Fact]
    public void Should_use_the_deleted_wording_and_no_start_line_on_the_delete_path()
    {
        var (stdout, _) = Render(OutputFormat.Table,
            new PodEvicting("n1", At, Web1, true, DryRunMode.None),
            new PodGone("n1", At, Web1, true, TimeSpan.FromSeconds(1)));

        stdout.Should().Be("pod/web-1 deleted\n");
    }

    [Fact]
    public void Should_keep_stdout_for_the_json_document_with_dash_o_json()
    {
        var (stdout, stderr) = Render(OutputFormat.Json,
            new NodeScheduling("n1", At, true, true, DryRunMode.None),
            new DrainWarning("n1", At, "deleting Pods with local storage: default/cache"));

        stdout.Should().BeEmpty();
        stderr.Should().Be("Warning: deleting Pods with local storage: default/cache\n");
    }
}
