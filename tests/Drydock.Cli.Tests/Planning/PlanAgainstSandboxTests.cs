using Drydock.Cli.Infrastructure;
using Drydock.Kube;
using Drydock.Kube.Config;
using Drydock.Planning.Inventory;
using Drydock.Sandbox;

namespace Drydock.Cli.Tests.Planning;

/// <summary>`drydock plan` and `drydock skew` against a live sandbox over HTTP (the real client, kubeconfig and inventory).</summary>
public sealed class PlanAgainstSandboxTests : IAsyncLifetime
{
    private SandboxHost host = null!;

    public async Task InitializeAsync() =>
        host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = await File.ReadAllTextAsync(CliRunner.Fixture) });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static Task<IKubeClient> FromKubeconfig(System.CommandLine.ParseResult parse, CancellationToken ct) =>
        Task.FromResult<IKubeClient>(KubeConnectionLoader.Load(parse.GetValue(GlobalOptions.Kubeconfig), null, _ => null, TimeProvider.System).CreateClient());

    [Fact]
    public async Task Should_read_the_same_inventory_live_as_from_the_snapshot_file()
    {
        // Given the sandbox serving the fixture / When read through the HTTP client
        var client = KubeConnectionLoader.Load(host.KubeconfigPath, null, _ => null, TimeProvider.System).CreateClient();
        var live = await new ClusterInventory(client, TimeProvider.System).ReadAsync();
        var file = SnapshotLoader.LoadFile(CliRunner.Fixture);

        // Then the live inventory carries what the file does, plus /version
        live.Live.Should().BeTrue();
        live.ApiServerVersion.Should().NotBeNull();
        live.ApiServerReadyz!.Ok.Should().BeTrue();
        live.ApiServerReadyz.Passed.Should().Contain("etcd");
        live.ClusterVersion.Should().Be(file.ClusterVersion!);
        live.KubeadmKubernetesVersion.Should().Be(file.KubeadmKubernetesVersion!);
        live.Nodes.Select(n => (n.Name, n.IsControlPlane, n.KubeletVersionText, n.Allocatable)).Should().BeEquivalentTo(
            file.Nodes.Select(n => (n.Name, n.IsControlPlane, n.KubeletVersionText, n.Allocatable)));
        live.ControlPlane.Select(c => (c.Node, c.KubeApiserver?.Tag, c.Etcd?.Tag)).Should().BeEquivalentTo(
            file.ControlPlane.Select(c => (c.Node, c.KubeApiserver?.Tag, c.Etcd?.Tag)));
        live.Pdbs.Select(p => p.Key).Should().BeEquivalentTo(file.Pdbs.Select(p => p.Key));
        live.KubeProxyVersion.Should().Be(file.KubeProxyVersion!);
        live.CoreDnsVersion.Should().Be(file.CoreDnsVersion);
    }

    [Fact]
    public async Task Should_plan_against_the_live_cluster_and_find_the_payments_blocker()
    {
        var (code, stdout, stderr) = await CliRunner.Run(FromKubeconfig, "plan", "--kubeconfig", host.KubeconfigPath, "--to", "v1.28.15");

        stderr.Should().BeEmpty();
        code.Should().Be(1);
        stdout.Should().Contain("[upgrade/versions] Cluster version: v1.27.16")
              .And.Contain("kubelet     8 x v1.27.16   v1.28.15")
              .And.Contain("1      cp-1       no      kubeadm upgrade apply v1.28.15")
              .And.Contain("PDB shop/payments-pdb: minAvailable 2 ≥ 2 matching pods")
              .And.Contain("Blocked: 1 preflight check(s) failed (pdb-drain-blockers)");
    }

    [Fact]
    public async Task Should_check_skew_against_the_live_cluster()
    {
        // (--kubectl "": this machine's kubectl is checked by the tests below)
        var (code, stdout, _) = await CliRunner.Run(FromKubeconfig, "skew", "--kubeconfig", host.KubeconfigPath, "--kubectl", "");

        code.Should().Be(0);
        stdout.Should().Contain("kube-apiserver            v1.27.16   3 (cp-1, cp-2, cp-3)");
    }

    [Fact]
    public async Task Should_report_a_kubectl_two_minors_behind_the_live_cluster()
    {
        // Given a kubectl v1.25.16 on this machine (a script answering `version --client -o json`) and a v1.27 cluster
        var dir = Directory.CreateTempSubdirectory("drydock-kubectl-");
        try
        {
            var kubectl = Path.Combine(dir.FullName, "kubectl");
            await File.WriteAllTextAsync(kubectl, "#!/bin/sh\n[ \"$1 $2\" = \"version --client\" ] || exit 3\necho '{\"clientVersion\":{\"gitVersion\":\"v1.25.16\"}}'\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            // When skew is checked live
            var (code, stdout, _) = await CliRunner.Run(FromKubeconfig, "skew", "--kubeconfig", host.KubeconfigPath, "--kubectl", kubectl);

            // Then the kubectl pair is a violation (exit 1), against the apiservers' version
            code.Should().Be(1);
            stdout.Should().MatchRegex(@"kubectl\s+v1\.25\.16\s+1 \(-\)")
                  .And.Contain("kubectl is supported within one minor version (older or newer) of kube-apiserver");
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public async Task Should_skip_kubectl_when_asked_or_missing()
    {
        var (skipped, outSkipped, _) = await CliRunner.Run(FromKubeconfig, "skew", "--kubeconfig", host.KubeconfigPath, "--kubectl", "");
        var (missing, outMissing, _) = await CliRunner.Run(FromKubeconfig, "skew", "--kubeconfig", host.KubeconfigPath, "--kubectl", "/nonexistent/kubectl");

        skipped.Should().Be(0);
        outSkipped.Should().NotContain("kubectl");
        missing.Should().Be(0);
        outMissing.Should().Contain("kubectl: /nonexistent/kubectl not found, not checked");
    }
}
