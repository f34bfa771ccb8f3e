using Drydock.Common;
using Drydock.Etcd.Backup;
using Drydock.Etcd.Snapshot;
using Drydock.Nodes.Local;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Etcd.Backup;

/// <summary>The pre-upgrade backup as a control-plane node runs it: the node's own etcdctl against a real TLS etcd.</summary>
[Collection(EtcdCollection.Name)]
public sealed class NodeSnapshotBackupTests(EtcdFixture etcd)
{
    private NodeBackupOptions Options(string dir) => new()
    {
        Directory = dir, Endpoint = etcd.Tls.ClientUrl.ToString().TrimEnd('/'),
        CaCert = etcd.Pki.CaCert, Cert = etcd.Pki.ClientCert, Key = etcd.Pki.ClientKey,
    };

    [Fact]
    public async Task Should_save_a_verified_snapshot_that_drydock_reads_the_same()
    {
        // Given a "control-plane node" (this machine) with etcdctl and the kubeadm-style client certificate
        using var dir = new TempDir();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero));
        var agent = new LocalNodeAgent("cp-1", TimeProvider.System);

        // When the pre-upgrade backup runs
        var result = await NodeSnapshotBackup.TakeAsync(agent, Options(dir["backups"]), time, CancellationToken.None);

        // Then the file is where the retention code looks, 0600, and etcdctl's status equals Drydock's own reading
        result.Path.Should().EndWith("/etcd-snapshot-20261122T010203Z.db");
        if (OperatingSystem.IsLinux()) File.GetUnixFileMode(result.Path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        result.Status.TotalKey.Should().BeGreaterThan(EtcdFixture.UserKeys);
        var ours = await SnapshotStatusReader.ReadAsync(result.Path);
        (ours.Hash, ours.Revision, ours.TotalKey, ours.TotalSize).Should().Be((result.Status.Hash, result.Status.Revision, result.Status.TotalKey, result.Status.TotalSize));
        SnapshotRetention.List(dir["backups"]).Should().ContainSingle();
    }

    [Fact]
    public async Task Should_fail_with_one_line_naming_the_node_when_etcd_refuses_the_client()
    {
        // Given a wrong client certificate path
        using var dir = new TempDir();
        var agent = new LocalNodeAgent("cp-1", TimeProvider.System);
        var options = Options(dir["backups"]) with { Cert = "/nonexistent/client.crt" };

        // When the backup runs
        var act = () => NodeSnapshotBackup.TakeAsync(agent, options, TimeProvider.System, CancellationToken.None);

        // Then it is an operation error that names the node and the way out, and leaves no file behind
        var error = (await act.Should().ThrowAsync<DrydockException>()).Which.Error;
        error.Should().BeOfType<OperationError>();
        error.Message.Should().StartWith("etcd backup on cp-1 failed").And.EndWith("fix it or pass --skip-backup");
        error.Message.Should().NotContain("\n");
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("Snapshot saved at x\n", false)]
    [InlineData("{\"hash\":1754712211,\"revision\":46,\"totalKey\":52,\"totalSize\":98304}", true)]
    [InlineData("{\"hash\":1,\"revision\":2}", false)]
    [InlineData("{not json", false)]
    public void Should_read_etcdctl_status_json_or_nothing(string stdout, bool parses)
    {
        NodeSnapshotBackup.ParseStatus(stdout).Should().Match<SnapshotStatus?>(s => (s != null) == parses);
    }
}
