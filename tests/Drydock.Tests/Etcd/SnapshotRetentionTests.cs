using Drydock.Etcd.Snapshot;

namespace Drydock.Tests.Etcd;

public sealed class SnapshotRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Backups taken 0, 1, 2, 5 and 10 days before now, newest first.</summary>
    private static readonly IReadOnlyList<BackupFile> Files =
        [.. new[] { 0, 1, 2, 5, 10 }.Select(d => new BackupFile($"/b/{SnapshotRetention.FileNameFor(Now.AddDays(-d))}", Now.AddDays(-d)))];

    public static TheoryData<string, int?, double?, string, int[]> Cases => new()
    {
        // name, keep, keepDays, newest good (days ago), expected deleted (days ago)
        { "no rules: nothing deleted", null, null, "0", [] },
        { "keep 2", 2, null, "0", [2, 5, 10] },
        { "keep-days 3", null, 3, "0", [5, 10] },
        { "both: deleted if beyond count or too old", 4, 3, "0", [5, 10] },
        { "keep 0 still keeps the newest good one", 0, null, "0", [1, 2, 5, 10] },
        { "newest good is older than the rules allow: kept anyway", 1, 1, "5", [1, 2, 10] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_plan_deletions(string name, int? keep, double? keepDays, string newestGoodDaysAgo, int[] expected)
    {
        // Given five backups and the retention rules of this case
        var newestGood = Files.Single(f => f.Taken == Now.AddDays(-int.Parse(newestGoodDaysAgo))).Path;

        // When planning
        var deleted = SnapshotRetention.PlanDeletions(Files, new RetentionOptions { Keep = keep, KeepDays = keepDays }, Now, newestGood);

        // Then exactly the expected ones go, never the newest good one
        deleted.Select(f => (int)Math.Round((Now - f.Taken).TotalDays)).Should().BeEquivalentTo(expected, name);
        deleted.Should().NotContain(f => f.Path == newestGood);
    }

    [Theory]
    [InlineData("etcd-snapshot-20261122T120000Z.db", true)]
    [InlineData("etcd-snapshot-20261122T120000Z.db.part", false)]
    [InlineData("etcd-snapshot-latest.db", false)]
    [InlineData("my-backup.db", false)]
    public void Should_recognise_only_its_own_file_names(string name, bool expected)
    {
        // Given a file name in a backup dir
        // When parsing it
        // Then only the timestamped scheme is recognised (other files are never deleted)
        SnapshotRetention.TryParse(name, out _).Should().Be(expected);
    }

    [Fact]
    public void Should_delete_files_on_disk_and_leave_foreign_ones()
    {
        // Given a backup dir with three snapshots and an unrelated file
        using var dir = new Support.TempDir();
        foreach (var d in new[] { 0, 1, 2 }) File.WriteAllText(dir[SnapshotRetention.FileNameFor(Now.AddDays(-d))], "x");
        File.WriteAllText(dir["notes.txt"], "keep me");

        // When applying keep 1
        var deleted = SnapshotRetention.Apply(dir.Path, new RetentionOptions { Keep = 1 }, Now, dir[SnapshotRetention.FileNameFor(Now)]);

        // Then two snapshots are gone, the newest and the foreign file remain
        deleted.Should().HaveCount(2);
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo(SnapshotRetention.FileNameFor(Now), "notes.txt");
    }
}
