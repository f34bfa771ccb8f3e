using System.Security.Cryptography;
using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Restore;
using Drydock.Etcd.Snapshot;
using Drydock.Nodes;
using Drydock.Nodes.Local;
using Drydock.Tests.Etcd.Support;
using Drydock.Tests.Nodes.Ssh;

namespace Drydock.Tests.Etcd;

/// <summary>
/// Restore when Drydock is not on the node: the snapshot is copied over a real sshd on 127.0.0.1 (PutFile, checked
/// by sha256 there), the real etcdctl restores it through ssh, etcd is watched from the node (curl of its metrics
/// /health). The fake control-plane node lives in a temp dir; its fake kubelet runs the real etcd from the manifest.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(EtcdOverSshCollection.Name)]
public sealed class EtcdRestoreOverSshTests(SshFixture ssh) : IClassFixture<SshFixture>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task WaitUpAsync(Uri endpoint)
    {
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [endpoint] }, TimeProvider.System);
        for (var i = 0; i < 150; i++)
        {
            try { await client.StatusAsync(); return; }
            catch (DrydockException) { await Task.Delay(100); }
        }
        throw new TimeoutException($"etcd at {endpoint} did not come up");
    }

    private static string Sha256Hex(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Should_copy_the_snapshot_over_ssh_and_restore_it_on_the_node()
    {
        // Given a control-plane node reached over ssh whose kubelet runs etcd from its manifest, with keys written
        var node = FakeControlPlaneNode.Create(_dir["cp-1"], "cp-1");
        await using var kubelet = new FakeKubelet(node.ManifestsDir);
        await WaitUpAsync(node.ClientUrl);
        var server = node.ClientUrl;
        for (var i = 0; i < 5; i++) await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "put", $"/registry/pods/p{i}", $"v{i}");

        // And a Drydock snapshot on "this machine", after which the data changes
        var snapshot = _dir["backup.db"];
        await using (var client = new EtcdClient(new EtcdOptions { Endpoints = [server] }, TimeProvider.System))
            await new SnapshotSaver(client, TimeProvider.System).SaveAsync(snapshot);
        await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "put", "/registry/pods/after-backup", "x");

        // When the restore is planned with an upload and run through the ssh agent
        await using var factory = ssh.Factory(options: ssh.Options(reuse: false) with { StepTimeout = TimeSpan.FromSeconds(60) });
        var executor = new EtcdRestoreExecutor(factory.For, _ => throw new InvalidOperationException("off-node restores watch etcd from the node"), TimeProvider.System);
        var target = await executor.DiscoverAsync("cp-1", node.ManifestsDir);
        var options = new EtcdRestoreOptions
        {
            SnapshotPath = snapshot,
            Upload = new SnapshotUpload(new FileInfo(snapshot).Length, await SnapshotHash.FileSha256Async(snapshot)),
            WatchEtcdFromNode = true,
            Now = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
            ApiServerHealthUrl = $"http://127.0.0.1:{node.ApiServerPort}/readyz",
            HealthTimeout = TimeSpan.FromSeconds(30),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
        var plan = EtcdRestorePlanner.Plan([target], options);
        var members = await executor.ExecuteAsync(plan, options);

        // Then the first step copied the file next to the data dir (mode 0600, same bytes) and etcd was watched from the node
        var copy = Path.Combine(_dir["cp-1"], "var/lib/etcd-restore/20261122T010203Z-backup.db");
        plan.Steps[0].Should().BeOfType<NodeRestoreStep>().Which.Step.Should().BeOfType<PutFile>().Which.Path.Should().Be(copy);
        plan.Steps.OfType<WaitForEtcdHealthStep>().Should().HaveCount(2);
        members.Single().SnapshotPath.Should().Be(copy);
        Sha256Hex(copy).Should().Be(Sha256Hex(snapshot));
        File.GetUnixFileMode(copy).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(copy + ".drydock-part").Should().BeFalse();

        // And etcd serves the snapshot's keys from the new data dir (the later write is gone)
        var keys = await Etcdctl.OkAsync(null, null, $"--endpoints={server}", "get", "/registry/pods/", "--prefix", "--keys-only");
        keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(Enumerable.Range(0, 5).Select(i => $"/registry/pods/p{i}"));
        kubelet.Events.Should().ContainInOrder("stopped etcd", $"started etcd --data-dir={members.Single().NewDataDir}");
    }

    [Fact]
    public async Task Should_refuse_a_copy_whose_sha256_differs_on_the_node_and_leave_nothing()
    {
        // Given a local file and a wrong checksum for it
        var source = _dir["source.db"];
        await File.WriteAllBytesAsync(source, Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray());
        var target = _dir["node/restore/copy.db"];
        await using var factory = ssh.Factory(options: ssh.Options(reuse: false));
        var agent = factory.For("cp-1");

        // When it is put on the node with the wrong checksum, then with the right one
        var bad = await agent.RunAsync(new PutFile(source, target, 100_000, new string('0', 64)));
        var good = await agent.RunAsync(new PutFile(source, target, 100_000, Sha256Hex(source)));

        // Then the first fails with the reason and leaves no file; the second lands whole, mode 0600, in a 0700 dir
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().Contain("sha256 on the node does not match");
        good.Succeeded.Should().BeTrue(good.Stderr);
        Sha256Hex(target).Should().Be(Sha256Hex(source));
        File.GetUnixFileMode(target).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_dir["node/restore"]).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(_dir["node/restore"]).Should().Equal(target);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_put_a_file_with_the_local_agent_only_when_its_sha256_matches(bool rightSha)
    {
        // Given a local file
        var source = _dir["local.db"];
        await File.WriteAllBytesAsync(source, new byte[70_000]);
        var target = _dir["here/copy.db"];

        // When the local agent puts it
        var result = await new LocalNodeAgent("cp-1", TimeProvider.System).RunAsync(new PutFile(source, target, 70_000, rightSha ? Sha256Hex(source) : new string('f', 64)));

        // Then it lands (mode 0600) exactly when the checksum matches, and no temp file stays
        result.Succeeded.Should().Be(rightSha, result.Stderr);
        File.Exists(target).Should().Be(rightSha);
        if (rightSha) File.GetUnixFileMode(target).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(target + ".drydock-part").Should().BeFalse();
    }
}

/// <summary>
/// Runs alone, and without ssh connection sharing: SshNodeAgentTests counts ssh control-socket dirs in the shared temp
/// dir, and a master connection of this class lingering there would be counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EtcdOverSshCollection
{
    public const string Name = "etcd over ssh";
}
