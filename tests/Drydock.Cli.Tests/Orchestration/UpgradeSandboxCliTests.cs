using System.Text.Json.Nodes;
using Drydock.Cli.Infrastructure;
using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Sandbox;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;
using Spectre.Console;

namespace Drydock.Cli.Tests.Orchestration;

/// <summary>
/// `drydock upgrade --to v1.28.15 --transport sandbox` and `drydock maintain --reboot` through the CLI against a sandbox
/// served over HTTP on 127.0.0.1 (the API and the node agent on one listener), its clock running 60× real time.
/// </summary>
public sealed class UpgradeSandboxCliTests
{
    private static string Scenario()
    {
        // The built-in single-control-plane cluster; the payments PDB (minAvailable 2 of 2) would block every drain
        // forever, so it allows one disruption here, and the bare debug pod (refused without --force) is left out.
        var list = JsonNode.Parse(BuiltInScenario.Build("default"))!.AsObject();
        var kept = new JsonArray();
        foreach (var item in list["items"]!.AsArray().Select(i => i!.AsObject()))
        {
            var kind = item["kind"]!.GetValue<string>();
            var name = item["metadata"]!["name"]!.GetValue<string>();
            if (kind == "Pod" && name == "debug-shell") continue;
            if (kind == "PodDisruptionBudget" && name == "payments") { item["spec"]!.AsObject().Remove("minAvailable"); item["spec"]!["maxUnavailable"] = 1; }
            kept.Add(item.DeepClone());
        }
        list["items"] = kept;
        return list.ToJsonString();
    }

    private static Task<(int Code, string Out, string Err)> Run(SandboxHost host, TimeProvider time, params string[] args) => Run(host, time, false, args);

    private static async Task<(int Code, string Out, string Err)> Run(SandboxHost host, TimeProvider time, bool tty, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = time, GetEnv = _ => null, StdoutIsTty = tty,
            KubeClientFactory = (_, _) => Task.FromResult<IKubeClient>(KubeClient.ForServer(host.BaseUrl, time)),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var code = await CliApp.RunAsync(args, services, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Should_upgrade_the_served_sandbox_and_stream_json_step_events()
    {
        // Given a sandbox served over HTTP, 60x faster than real time
        var time = new ScaledTimeProvider(60);
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = Scenario(), Time = time, Cluster = new SandboxOptions { MaxGracePeriodSeconds = 5 } });
        var journal = Path.Combine(Path.GetTempPath(), $"dd-cli-journal-{Guid.NewGuid():N}.jsonl");

        // When `drydock upgrade --to v1.28.15 --transport sandbox -o json` runs (stdin not a TTY: no prompt)
        var (code, stdout, stderr) = await Run(host, time, "upgrade", "--to", "v1.28.15", "--transport", "sandbox", "--max-unavailable", "2", "--delete-emptydir-data", "-o", "json", "--journal", journal);

        // Then it succeeds, stdout is one JSON step event per line ending with RunCompleted, every node is at v1.28.15
        code.Should().Be(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => JsonNode.Parse(l) is JsonObject);
        JsonNode.Parse(lines[^1])!["kind"]!.GetValue<string>().Should().Be("RunCompleted");
        lines.Should().Contain(l => l.Contains("\"stepId\":\"kubeadm-upgrade-apply\"", StringComparison.Ordinal) && l.Contains("\"command\":\"kubeadm upgrade apply", StringComparison.Ordinal));
        host.Cluster.Objects<Node>().Should().OnlyContain(n => n.Status!.NodeInfo!.KubeletVersion == "v1.28.15" && n.Spec!.Unschedulable != true);
        host.Cluster.Stats.Violations.Should().BeEmpty();
        File.Exists(journal).Should().BeTrue();

        // And `upgrade status` reports the completed run
        var (_, status, _) = await Run(host, time, "upgrade", "status");
        status.Should().Contain("(upgrade), completed").And.Contain("Lock:     free");
        File.Delete(journal);
    }

    [Fact]
    public async Task Should_run_maintain_with_reboot_in_plain_lines()
    {
        // Given the served sandbox
        var time = new ScaledTimeProvider(60);
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = Scenario(), Time = time, Cluster = new SandboxOptions { MaxGracePeriodSeconds = 5 } });
        var boots = host.Cluster.Objects<Node>().ToDictionary(n => n.Metadata.Name!, n => n.Status!.NodeInfo!.BootID);

        // When `drydock maintain -l !node-role.kubernetes.io/control-plane --reboot -- apt-get -y upgrade` runs, piped
        var (code, stdout, stderr) = await Run(host, time, "maintain", "-l", "!node-role.kubernetes.io/control-plane", "--reboot", "--transport", "sandbox", "--delete-emptydir-data",
            "--journal", Path.Combine(Path.GetTempPath(), $"dd-cli-journal-{Guid.NewGuid():N}.jsonl"), "--", "apt-get", "-y", "upgrade");

        // Then each worker was drained, ran the command, rebooted and came back; plain progress lines were printed
        code.Should().Be(0, stderr);
        stdout.Should().Contain("worker-1: run: apt-get -y upgrade done").And.Contain("worker-3: wait for reboot done").And.Contain("maintenance run-");
        foreach (var n in host.Cluster.Objects<Node>().Where(n => n.Metadata.Name!.StartsWith("worker", StringComparison.Ordinal)))
        {
            n.Status!.NodeInfo!.BootID.Should().NotBe(boots[n.Metadata.Name!]);
            n.Spec!.Unschedulable.Should().NotBe(true);
        }
        host.Cluster.Objects<Node>().Single(n => n.Metadata.Name == "cp-1").Status!.NodeInfo!.BootID.Should().Be(boots["cp-1"]);
    }

    [Fact]
    public async Task Should_render_the_live_view_on_a_terminal()
    {
        // Given the served sandbox and a terminal on stdout
        var time = new ScaledTimeProvider(60);
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = Scenario(), Time = time, Cluster = new SandboxOptions { MaxGracePeriodSeconds = 5 } });

        // When one worker is maintained
        var (code, stdout, stderr) = await Run(host, time, true, "maintain", "-l", "kubernetes.io/hostname=worker-1", "--transport", "sandbox", "--delete-emptydir-data",
            "--journal", Path.Combine(Path.GetTempPath(), $"dd-cli-journal-{Guid.NewGuid():N}.jsonl"), "--", "true");

        // Then the live table (node, role, batch, step, version, elapsed) and the progress line were drawn
        code.Should().Be(0, stderr);
        stdout.Should().Contain("NODE").And.Contain("ROLE").And.Contain("BATCH").And.Contain("ELAPSED").And.Contain("worker-1").And.Contain("steps, elapsed");
    }
}
