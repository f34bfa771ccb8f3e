using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Sandbox;
using Drydock.Sandbox.Scenarios;
using Spectre.Console;

namespace Drydock.Cli.Tests.Etcd;

/// <summary>
/// <c>drydock etcd snapshot restore --transport sandbox|ssh</c>: the plan against a sandbox served over HTTP (its HA
/// control planes discovered through the node agent), and the bad-input checks that stop before anything is touched.
/// </summary>
public sealed class EtcdRestoreTransportCliTests(EtcdCliFixture etcd) : IClassFixture<EtcdCliFixture>
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));

    private async Task<(int Code, string Out, string Err)> Run(Uri? sandbox, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = _clock, GetEnv = _ => null,
            KubeClientFactory = (_, _) => sandbox is null
                ? throw new InvalidOperationException("this test serves no sandbox")
                : Task.FromResult<IKubeClient>(KubeClient.ForServer(sandbox, _clock)),
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApp.RunAsync(args, services, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> SnapshotAsync()
    {
        var path = Path.Combine(etcd.Dir, $"{Guid.NewGuid():N}-restore.db");
        (await Run(null, "etcd", "snapshot", "save", path, "--endpoints", etcd.Endpoint)).Code.Should().Be(0);
        return path;
    }

    [Fact]
    public async Task Should_plan_an_ha_restore_on_the_sandbox_with_the_snapshot_copied_to_every_node()
    {
        // Given a served HA sandbox (3 control planes) and a snapshot on this machine
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = BuiltInScenario.Build("ha") });
        var snapshot = await SnapshotAsync();

        // When restoring on all three control planes (comma list and repeated flag) with --dry-run
        var (code, stdout, stderr) = await Run(host.BaseUrl, "etcd", "snapshot", "restore", snapshot, "--transport", "sandbox", "--node", "cp-1,cp-2", "--node", "cp-3", "--dry-run");

        // Then each node first gets a checked copy under /var/lib/etcd-restore, every member is restored with the full
        // initial cluster, etcd is watched from each node, and nothing ran
        code.Should().Be(0, stderr);
        var size = new FileInfo(snapshot).Length;
        foreach (var n in new[] { "cp-1", "cp-2", "cp-3" })
        {
            stdout.Should().Contain($"[{n}] copy the snapshot to the node").And.Contain($"({size} bytes, sha256 ")
                .And.Contain($"to /var/lib/etcd-restore/20261122T010000Z-{Path.GetFileName(snapshot)} (mode 600)");
            stdout.Should().Contain($"--name {n} --initial-cluster cp-1=https://cp-1:2380,cp-2=https://cp-2:2380,cp-3=https://cp-3:2380");
        }
        stdout.Should().Contain("curl -fsS --max-time 5 http://127.0.0.1:2381/health").And.Contain("/usr/local/bin/etcdutl snapshot restore /var/lib/etcd-restore/")
            .And.EndWith("Dry run: nothing was changed.\n");
        host.Cluster.CommandLog("cp-1").Should().NotContain(c => c.Contains("etcd-restore", StringComparison.Ordinal), "a dry run only reads");
    }

    [Fact]
    public async Task Should_record_a_put_file_on_the_served_sandbox_node()
    {
        // Given a served sandbox and its node agents over HTTP
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = BuiltInScenario.Build("default") });
        using var agents = new Drydock.Nodes.Sandbox.SandboxNodeAgentFactory(host.BaseUrl);
        var agent = agents.For("cp-1");

        // When a snapshot is put on cp-1 (the step crosses the wire; the bytes stay here)
        var put = await agent.RunAsync(new Drydock.Nodes.PutFile("/backups/etcd.db", "/var/lib/etcd-restore/etcd.db", 4128, new string('a', 64)));
        var read = await agent.RunAsync(new Drydock.Nodes.ReadFile("/var/lib/etcd-restore/etcd.db"));

        // Then the node ran the copy's command line and now has the file, recorded with its size and checksum
        put.Succeeded.Should().BeTrue(put.Stderr);
        put.Step.Should().Be(new Drydock.Nodes.PutFile("/backups/etcd.db", "/var/lib/etcd-restore/etcd.db", 4128, new string('a', 64)));
        put.CommandLine.Should().StartWith("cat > /var/lib/etcd-restore/etcd.db.drydock-part && sha256sum -c");
        read.Stdout.Should().Be($"copy of /backups/etcd.db: 4128 bytes, sha256 {new string('a', 64)}");
    }

    [Fact]
    public async Task Should_use_a_snapshot_already_on_the_node_without_copying_it()
    {
        // Given a served sandbox
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = BuiltInScenario.Build("default") });

        // When the snapshot is named on the node
        var (code, stdout, stderr) = await Run(host.BaseUrl, "etcd", "snapshot", "restore", "--snapshot-on-node", "/var/backups/etcd.db", "--transport", "sandbox", "--node", "cp-1", "--dry-run");

        // Then the plan has no copy step and verifies and restores that path
        code.Should().Be(0, stderr);
        stdout.Should().NotContain("copy the snapshot").And.Contain("verify the snapshot's sha256 on the node").And.Contain("snapshot restore /var/backups/etcd.db");
    }

    [Fact]
    public async Task Should_refuse_an_unknown_sandbox_node_with_one_line_and_exit_2()
    {
        // Given a served sandbox and a snapshot
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = BuiltInScenario.Build("default") });
        var snapshot = await SnapshotAsync();

        // When restoring on a node the cluster does not have
        var (code, stdout, stderr) = await Run(host.BaseUrl, "etcd", "snapshot", "restore", snapshot, "--transport", "sandbox", "--node", "cp-9", "--yes");

        // Then one line, exit 2, nothing printed as done
        code.Should().Be(ErrorPresenter.Usage);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: node cp-9:").And.EndWith("nothing was changed");
        stdout.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--transport ssh", "error: --transport ssh needs --node NAME (repeat it, or comma-separate, for every control-plane node)")]
    [InlineData("--transport local --node a --node b", "error: --transport local restores this machine only, but 2 nodes were given; use --transport ssh (or sandbox) to restore several nodes")]
    [InlineData("--transport ssh --node cp-1 --snapshot-on-node /x.db", "error: give either FILE (a snapshot on this machine) or --snapshot-on-node PATH (already on the nodes), not both")]
    [InlineData("--transport ssh --node cp-9 --ssh-inventory INVENTORY", "error: node cp-9 is not in the ssh inventory INVENTORY (nodes: cp-1); nothing was changed")]
    public async Task Should_refuse_bad_input_with_one_line_and_exit_2(string flags, string expected)
    {
        // Given a snapshot on this machine (and an inventory naming only cp-1)
        var snapshot = await SnapshotAsync();
        var inventory = Path.Combine(etcd.Dir, $"{Guid.NewGuid():N}-inventory.yaml");
        await File.WriteAllTextAsync(inventory, "nodes:\n  cp-1: { host: 127.0.0.1 }\n");

        // When restoring with the bad flags
        var args = new[] { "etcd", "snapshot", "restore", snapshot }.Concat(flags.Replace("INVENTORY", inventory, StringComparison.Ordinal).Split(' ')).ToArray();
        var (code, _, stderr) = await Run(null, args);

        // Then exactly that one line, exit 2
        code.Should().Be(ErrorPresenter.Usage);
        stderr.Trim().Should().Be(expected.Replace("INVENTORY", inventory, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_report_a_node_ssh_cannot_reach_as_bad_input_before_any_change()
    {
        // Given a snapshot and a node name that does not resolve
        var snapshot = await SnapshotAsync();

        // When restoring on it over ssh
        var (code, stdout, stderr) = await Run(null, "etcd", "snapshot", "restore", snapshot, "--transport", "ssh", "--node", "no-such-node.invalid",
            "--ssh-known-hosts", "/dev/null", "--yes");

        // Then discovery (read-only) fails with one line naming the node, exit 2, and no plan was printed
        code.Should().Be(ErrorPresenter.Usage);
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: node no-such-node.invalid: ssh to ")
            .And.EndWith("(check --node and the ssh settings); nothing was changed");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_refuse_a_missing_snapshot_file_and_a_hashless_one_without_skip_hash_check()
    {
        // Given a path with no file, and a file without the trailing sha256 (whole pages, as member/snap/db is)
        var missing = Path.Combine(etcd.Dir, "no-such.db");
        var hashless = Path.Combine(etcd.Dir, $"{Guid.NewGuid():N}-db-copy");
        var saved = await SnapshotAsync();
        var bytes = await File.ReadAllBytesAsync(saved);
        await File.WriteAllBytesAsync(hashless, bytes[..^32]);

        // When restoring them
        var gone = await Run(null, "etcd", "snapshot", "restore", missing, "--transport", "ssh", "--node", "cp-1");
        var noHash = await Run(null, "etcd", "snapshot", "restore", hashless, "--transport", "ssh", "--node", "cp-1");

        // Then the missing file is bad input (exit 2) and the hashless one names the flag that allows it
        gone.Code.Should().Be(ErrorPresenter.Usage);
        gone.Err.Trim().Should().Be($"error: snapshot file {missing} not found");
        noHash.Code.Should().NotBe(0);
        noHash.Err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("carries no sha256").And.Contain("--skip-hash-check");
    }
}
