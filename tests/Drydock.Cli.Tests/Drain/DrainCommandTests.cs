using System.Text.Json;
using Drydock.Cli.Infrastructure;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;
using Spectre.Console;

namespace Drydock.Cli.Tests.Drain;

/// <summary>
/// The commands end to end in-process against the simulated cluster (its in-process client, the same REST rules as
/// over HTTP), cluster and CLI sharing one clock running 20× so grace periods pass quickly.
/// </summary>
public sealed class DrainCommandTests : IDisposable
{
    private readonly ScaledTimeProvider _time = new(20);
    private readonly SandboxCluster _cluster;

    public DrainCommandTests()
    {
        _cluster = new SandboxCluster(_time);
        _cluster.LoadList(BuiltInScenario.Build("default"));
        _cluster.Settle();
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
            Out = console, Err = stderr, Time = _time, GetEnv = _ => null,
            KubeClientFactory = (_, _) => Task.FromResult(_cluster.CreateClient()),
        };
        var code = await CliApp.RunAsync(args, services).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }

    private string Worker(string app, bool with) =>
        _cluster.Objects<Node>().Select(n => n.Metadata.Name!).Where(n => n.StartsWith("worker-", StringComparison.Ordinal))
            .First(n => with == _cluster.Objects<Pod>().Any(p => p.Spec!.NodeName == n && p.Metadata.Labels?.GetValueOrDefault("app") == app));

    [Fact]
    public async Task Should_cordon_and_uncordon_with_kubectls_lines()
    {
        // Given/When a worker is cordoned twice, then uncordoned by selector
        var first = await Run("cordon", "worker-1");
        var again = await Run("cordon", "node/worker-1");
        var back = await Run("uncordon", "-l", "kubernetes.io/hostname=worker-1");

        // Then kubectl's lines, exit 0, and the node is schedulable again
        (first.Code, first.Out).Should().Be((0, "node/worker-1 cordoned\n"));
        (again.Code, again.Out).Should().Be((0, "node/worker-1 already cordoned\n"));
        (back.Code, back.Out).Should().Be((0, "node/worker-1 uncordoned\n"));
        _cluster.Objects<Node>().Single(n => n.Metadata.Name == "worker-1").Spec!.Unschedulable.Should().NotBe(true);
    }

    [Fact]
    public async Task Should_print_one_json_result_per_node()
    {
        // Given a worker without the blocked payments pods
        var node = Worker("payments", with: false);
        var expected = _cluster.Objects<Pod>().Count(p => p.Spec!.NodeName == node && p.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") != true);

        // When drained with -o json
        var (code, stdout, _) = await Run("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "-o", "json");

        // Then stdout is one JSON array: the node, evicted pods with durations, skipped DaemonSet pods with the reason
        code.Should().Be(0);
        using var doc = JsonDocument.Parse(stdout);
        var result = doc.RootElement.EnumerateArray().Should().ContainSingle().Subject;
        result.GetProperty("node").GetString().Should().Be(node);
        result.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        result.GetProperty("evicted").GetArrayLength().Should().Be(expected);
        result.GetProperty("evicted")[0].GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        result.GetProperty("skipped").EnumerateArray().Should().Contain(s => s.GetProperty("reason").GetString() == "ignoring DaemonSet-managed Pods");
        result.GetProperty("durationSeconds").GetDouble().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Should_say_which_budget_blocks_and_fail_fast()
    {
        // Given the node running a payments pod (PDB minAvailable 2 of 2)
        var node = Worker("payments", with: true);

        // When drained with --fail-fast-on-pdb
        var (code, stdout, stderr) = await Run("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--fail-fast-on-pdb");

        // Then exit 1 before any eviction, naming the budget, its numbers and why it can never allow the drain
        code.Should().Be(1);
        stdout.Should().Be($"node/{node} cordoned\n");
        stderr.Should().Contain("Warning: PodDisruptionBudget shop/payments (minAvailable 2, healthy 2/2 (desired 2), disruptions allowed 0): the drain cannot finish: minAvailable 2 requires all 2 pods to stay healthy");
        stderr.Should().Contain($"There are pending nodes to be drained:\n {node}\n");
        _cluster.Stats.EvictionsAccepted.Should().Be(0);
    }
}
