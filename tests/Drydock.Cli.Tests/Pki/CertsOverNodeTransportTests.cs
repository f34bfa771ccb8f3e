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

/// <summary>`certs renew --node …`: renewal on each control-plane node through the node transport, one node after the other.</summary>
public sealed class CertsRenewOverNodeTransportTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created + TimeSpan.FromDays(400);

    [Fact]
    public async Task Should_renew_on_every_named_node_and_then_check_clean()
    {
        // Given the HA sandbox whose cp-1 and cp-2 carry a tree with an apiserver certificate expired 35 days ago
        var instant = new Drydock.Sandbox.Cluster.NodeStepDurations { Query = TimeSpan.Zero, RunCommand = TimeSpan.Zero };
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Scenario = "ha", Cluster = new Drydock.Sandbox.Cluster.SandboxOptions { StepDurations = instant } });
        using var agents = new SandboxNodeAgentFactory(host.BaseUrl);
        using var tree = PkiTree.Create(Created);
        foreach (var node in new[] { "cp-1", "cp-2" })
            foreach (var file in Directory.EnumerateFiles(tree.Root, "*", SearchOption.AllDirectories))
                (await agents.For(node).RunAsync(new WriteFile(file, await File.ReadAllTextAsync(file)))).Succeeded.Should().BeTrue();
        string[] dirs = ["--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir];

        // When the apiserver certificate is renewed on both through the sandbox transport
        var (renewCode, renewOut, renewErr) = await Run(host, ["certs", "renew", "apiserver", "--node", "cp-1,cp-2", "--transport", "sandbox", .. dirs]);

        // Then each node says what it renewed and which static pod must restart there
        renewCode.Should().Be(0, renewOut + renewErr);
        renewOut.Should().Contain("[cp-1]").And.Contain("[cp-2]");
        renewOut.Split("certificate for serving the Kubernetes API renewed").Should().HaveCount(3);
        renewOut.Should().Contain("Static pods that must restart on cp-1 to use the new certificates: kube-apiserver")
                .And.Contain("Static pods that must restart on cp-2 to use the new certificates: kube-apiserver");

        // And the same nodes now check clean for the apiserver certificate (the files on the nodes changed, not ours)
        var (_, checkOut, _) = await Run(host, ["certs", "check-expiration", "--node", "cp-1,cp-2", "--transport", "sandbox", .. dirs, "--kubelet-dir", tree.Layout.KubeletDir]);
        checkOut.Should().MatchRegex(@"\[cp-1\][\s\S]*\napiserver\s+\S+ \d+, 2028[\s\S]*\[cp-2\][\s\S]*\napiserver\s+\S+ \d+, 2028");
    }

    [Fact]
    public async Task Should_stop_with_one_line_when_the_node_has_no_pki()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Scenario = "ha" });

        var (code, stdout, err) = await Run(host, ["certs", "renew", "all", "--node", "cp-3", "--transport", "sandbox", "--pki-dir", "/nowhere/pki"]);

        code.Should().Be(1);
        err.Trim().Should().Be("error: node cp-3: no /nowhere/pki/ca.crt: point --pki-dir at the node's kubeadm certificates directory");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_refuse_node_name_together_with_node()
    {
        var (code, _, err) = await CliHarnessRun(["certs", "renew", "all", "--node", "cp-1", "--node-name", "cp-1", "--transport", "sandbox"]);

        code.Should().Be(2);
        err.Should().Contain("--node-name names this machine's node");
    }

    private static async Task<(int, string, string)> CliHarnessRun(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var services = Services(stdout, stderr, null);
        return (await CliApp.RunAsync(args, services), stdout.ToString(), stderr.ToString());
    }

    private static async Task<(int, string, string)> Run(SandboxHost host, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (await CliApp.RunAsync(args, Services(stdout, stderr, host)), stdout.ToString(), stderr.ToString());
    }

    private static CliServices Services(StringWriter stdout, StringWriter stderr, SandboxHost? host) => new()
    {
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No }),
        Err = stderr, Time = new ManualTimeProvider(Now), GetEnv = _ => null,
        KubeClientFactory = (_, _) => host is null ? throw new InvalidOperationException("no cluster in this test")
            : Task.FromResult<Drydock.Kube.IKubeClient>(KubeClient.ForServer(host.BaseUrl)),
    };
}
