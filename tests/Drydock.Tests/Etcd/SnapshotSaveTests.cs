using System.Security.Cryptography;
using System.Text.Json;
using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Snapshot;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Etcd;

[Collection(EtcdCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SnapshotSaveTests(EtcdFixture etcd) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EtcdOptions Options(string transport) => transport == "tls" ? etcd.TlsOptions : etcd.PlainOptions;

    public static TheoryData<string> Transports => new() { "h2c", "tls" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Should_save_a_file_that_etcdctl_reads_with_the_same_status(string transport)
    {
        // Given a running etcd with keys
        await using var client = new EtcdClient(Options(transport), TimeProvider.System);
        var path = _dir["snap.db"];

        // When Drydock saves a snapshot
        var progress = new List<SnapshotProgress>();
        var result = await new SnapshotSaver(client, TimeProvider.System).SaveAsync(path, new SyncProgress(progress));

        // Then the file is db || sha256(db), mode 0600, no .part left behind, and the last progress says completed
        var bytes = await File.ReadAllBytesAsync(path);
        bytes.Length.Should().Be((int)result.DatabaseBytes + 32);
        (bytes.Length % 512).Should().Be(32);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).Should().Equal(bytes[^32..]);
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(path + ".part").Should().BeFalse();
        progress.Should().NotBeEmpty().And.Subject.Last().Completed.Should().BeTrue();

        // And etcdctl's status equals Drydock's native reader on all four numbers
        var etcdctl = JsonSerializer.Deserialize<SnapshotStatus>(await Etcdctl.OkAsync(null, null, "snapshot", "status", path, "-w", "json"))!;
        var native = await SnapshotStatusReader.ReadAsync(path);
        native.Should().BeEquivalentTo(etcdctl, o => o.Excluding(s => s.Integrity));
        native.Integrity.Should().Be(SnapshotIntegrity.HashMatches);
        native.TotalKey.Should().BeGreaterThan(EtcdFixture.UserKeys);
    }

    [Fact]
    public async Task Should_save_bytes_identical_in_size_to_etcdctl_and_restorable_by_etcdctl()
    {
        // Given Drydock's snapshot of the plain etcd
        await using var client = new EtcdClient(etcd.PlainOptions, TimeProvider.System);
        var ours = _dir["ours.db"];
        await new SnapshotSaver(client, TimeProvider.System).SaveAsync(ours);

        // When etcdctl restores it into a new data dir and an etcd starts from it
        var ports = FreePorts.Take(2);
        var peer = $"http://127.0.0.1:{ports[1]}";
        var dataDir = _dir["restored.etcd"];
        await Etcdctl.OkAsync(null, null, "snapshot", "restore", ours, "--name", "restored", "--data-dir", dataDir,
            "--initial-cluster", $"restored={peer}", "--initial-advertise-peer-urls", peer, "--initial-cluster-token", "restored-token");
        await using var restored = await EtcdProcess.StartAsync(new()
        {
            Name = "restored", DataDir = dataDir, ClientPort = ports[0], PeerPort = ports[1],
            InitialCluster = $"restored={peer}", InitialClusterToken = "restored-token",
        });

        // Then the restored etcd serves the keys
        var value = await Etcdctl.OkAsync(restored, null, "get", "/registry/plain/007", "--print-value-only");
        value.Trim().Should().Be("value-7");
        await using var restoredClient = new EtcdClient(new EtcdOptions { Endpoints = [restored.ClientUrl] }, TimeProvider.System);
        (await restoredClient.CountAllKeysAsync()).Should().Be(EtcdFixture.UserKeys);
    }

    [Fact]
    public async Task Should_refuse_more_than_one_endpoint_like_etcdctl()
    {
        // Given two endpoints
        await using var client = new EtcdClient(etcd.PlainOptions with { Endpoints = [etcd.Plain.ClientUrl, etcd.Tls.ClientUrl] }, TimeProvider.System);

        // When saving
        var act = () => new SnapshotSaver(client, TimeProvider.System).SaveAsync(_dir["x.db"]);

        // Then it is a usage error with etcdctl's wording, and no file appears
        var ex = (await act.Should().ThrowAsync<DrydockException>()).Which;
        ex.Error.Should().BeOfType<UsageError>().Which.Message.Should().StartWith("snapshot must be requested to one selected node, not multiple");
        File.Exists(_dir["x.db"]).Should().BeFalse();
    }

    [Fact]
    public async Task Should_leave_no_file_when_the_endpoint_is_dead()
    {
        // Given a dead endpoint
        var port = FreePorts.Take(1)[0];
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{port}")] }, TimeProvider.System);

        // When saving
        var act = () => new SnapshotSaver(client, TimeProvider.System).SaveAsync(_dir["dead.db"]);

        // Then one clear line, and neither the file nor its .part exists
        (await act.Should().ThrowAsync<DrydockException>()).Which.Error.Message.Should().Contain("connection refused");
        File.Exists(_dir["dead.db"]).Should().BeFalse();
        File.Exists(_dir["dead.db.part"]).Should().BeFalse();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this records synchronously so the test sees every report.</summary>
    private sealed class SyncProgress(List<SnapshotProgress> into) : IProgress<SnapshotProgress>
    {
        public void Report(SnapshotProgress value) { lock (into) into.Add(value); }
    }
}
