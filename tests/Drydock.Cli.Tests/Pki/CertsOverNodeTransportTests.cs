using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Kube.Client;
using Drydock.Nodes;
using Drydock.Nodes.Sandbox;
using Drydock.Sandbox;
using Drydock.Testing.Pki;
using Spectre.Console;

namespace Drydock.Cli.Tests.Pki;

/// <summary>
/// `certs check-expiration --node …`: every control-plane node's certificates, read through the node transport — here
/// the sandbox's node agent over HTTP, whose nodes get a generated kubeadm PKI tree written into their file system.
/// </summary>
public sealed class CertsOverNodeTransportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_print_one_table_per_node_and_fail_when_one_node_has_an_expired_certificate()
    {
        // Given the HA sandbox; cp-1 has a healthy tree, cp-2 the same tree but with an expired apiserver certificate
        var instant = new Drydock.Sandbox.Cluster.NodeStepDurations { Query = TimeSpan.Zero, RunCommand = TimeSpan.Zero };
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Scenario = "ha", Cluster = new Drydock.Sandbox.Cluster.SandboxOptions { StepDurations = instant } });
        using var agents = new SandboxNodeAgentFactory(host.BaseUrl);
        using var tree = PkiTree.Create(Now);
        await CopyTreeAsync(tree, agents.For("cp-1"));
        tree.WriteLeaf("apiserver", notAfter: Now - TimeSpan.FromDays(2));
        await CopyTreeAsync(tree, agents.For("cp-2"));

        // When both are checked through the sandbox transport
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var services = new CliServices
        {
            Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No }),
            Err = stderr, Time = new ManualTimeProvider(Now), GetEnv = _ => null,
            KubeClientFactory = (_, _) => Task.FromResult<Drydock.Kube.IKubeClient>(KubeClient.ForServer(host.BaseUrl)),
        };
        var exit = await CliApp.RunAsync(["certs", "check-expiration", "--node", "cp-1", "--node", "cp-2", "--transport", "sandbox",
            "--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir, "--kubelet-dir", tree.Layout.KubeletDir], services);

        // Then a table per node; cp-1 is clean, cp-2 shows the expired certificate, and the command fails
        var output = stdout.ToString();
        exit.Should().Be(1, output + stderr);
        var cp1 = output[output.IndexOf("[cp-1]", StringComparison.Ordinal)..output.IndexOf("[cp-2]", StringComparison.Ordinal)];
        var cp2 = output[output.IndexOf("[cp-2]", StringComparison.Ordinal)..];
        cp1.Should().NotContain("EXPIRED").And.Contain("apiserver ");
        cp2.Should().MatchRegex(@"apiserver\s+Feb 27, 2026 12:00 UTC\s+<invalid>");
    }

    private static async Task CopyTreeAsync(PkiTree tree, INodeAgent agent)
    {
        foreach (var file in Directory.EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories))
            (await agent.RunAsync(new WriteFile(file, await File.ReadAllTextAsync(file)))).Succeeded.Should().BeTrue();
    }
}
