using Drydock.Common;
using Drydock.Etcd.Snapshot;
using Drydock.Planning.Preflight;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>The etcd-backup row: real snapshots saved by etcdctl from the collection's etcd, named as --dir names them, judged on a manual clock.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdBackupAgeCheckTests(EtcdFixture etcd) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A real etcdctl snapshot, copied under the name drydock gives a snapshot taken at <paramref name="taken"/>.</summary>
    private async Task<string> SaveTaken(DateTimeOffset taken)
    {
        var source = _dir["saved.db"];
        if (!File.Exists(source)) await Etcdctl.OkAsync(etcd.Plain, null, "snapshot", "save", source);
        var path = Path.Combine(_dir.Path, SnapshotRetention.FileNameFor(taken));
        File.Copy(source, path);
        return path;
    }

    private Task<PreflightResult> Check(TimeSpan? maxAge = null) =>
        new EtcdBackupAgeCheck(_dir.Path, maxAge ?? EtcdBackupAgeCheck.DefaultMaxAge, new ManualTimeProvider(Now)).RunAsync(PreflightContexts.TwoControlPlanes()).AsTask();

    [Theory]
    [InlineData(2, 24, PreflightStatus.Pass, "etcd snapshot 2h old (limit 24h)")]
    [InlineData(30, 24, PreflightStatus.Warn, "newest etcd snapshot is 30h old (limit 24h, --backup-max-age)")]
    [InlineData(30, 48, PreflightStatus.Pass, "etcd snapshot 30h old (limit 48h)")]
    public async Task Should_judge_the_newest_snapshot_by_its_age(int hoursAgo, int maxHours, PreflightStatus expected, string summary)
    {
        // Given an older snapshot and the newest one taken hoursAgo
        await SaveTaken(Now - TimeSpan.FromDays(5));
        var newest = await SaveTaken(Now - TimeSpan.FromHours(hoursAgo));

        // When checked with that age limit
        var result = await Check(TimeSpan.FromHours(maxHours));

        // Then the newest decides, and the evidence names it with its revision
        result.Status.Should().Be(expected);
        result.Summary.Should().Be(summary);
        result.Evidence[0].Should().StartWith(newest).And.Contain("revision");
        if (expected == PreflightStatus.Warn) result.Remedy.Should().Be($"take one now: drydock etcd snapshot save --dir {_dir.Path}");
    }

    [Fact]
    public async Task Should_warn_when_the_directory_holds_no_snapshot()
    {
        // Given an empty backup directory (apart from a file not named like a snapshot)
        File.WriteAllText(_dir["notes.txt"], "x");

        // When checked
        var result = await Check();

        // Then it warns with the save command
        result.Status.Should().Be(PreflightStatus.Warn);
        result.Summary.Should().Be($"no valid etcd snapshot in {_dir.Path}");
        result.Remedy.Should().Contain("drydock etcd snapshot save --dir");
    }

    [Fact]
    public async Task Should_skip_a_corrupt_newer_file_and_judge_the_newest_valid_one()
    {
        // Given a valid snapshot 3h old and a newer file named like a snapshot that is not one
        var valid = await SaveTaken(Now - TimeSpan.FromHours(3));
        var bogus = Path.Combine(_dir.Path, SnapshotRetention.FileNameFor(Now - TimeSpan.FromHours(1)));
        File.WriteAllText(bogus, "not a bbolt file");

        // When checked
        var result = await Check();

        // Then the valid one is judged, and the damaged one is a warning naming it
        result.Status.Should().Be(PreflightStatus.Warn);
        result.Summary.Should().Be("etcd snapshot 3h old (limit 24h)");
        result.Evidence[0].Should().StartWith(valid);
        result.Evidence.Should().Contain(e => e.StartsWith(bogus + ": skipped"));
    }

    [Fact]
    public async Task Should_warn_when_the_directory_does_not_exist()
    {
        // Given a path that is not there
        var missing = _dir["missing"];

        // When checked
        var result = await new EtcdBackupAgeCheck(missing, EtcdBackupAgeCheck.DefaultMaxAge, new ManualTimeProvider(Now)).RunAsync(PreflightContexts.TwoControlPlanes());

        // Then it warns, naming the directory
        result.Status.Should().Be(PreflightStatus.Warn);
        result.Summary.Should().Be($"backup directory {missing} does not exist");
    }
}
