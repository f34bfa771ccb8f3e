using System.Globalization;

namespace Drydock.Etcd.Snapshot;

/// <summary>A snapshot in a backup directory, named etcd-snapshot-&lt;UTC timestamp&gt;.db.</summary>
public sealed record BackupFile(string Path, DateTimeOffset Taken);

/// <summary>--keep N: keep the newest N; --keep-days D: delete those taken more than D days ago. Either, both, or neither.</summary>
public sealed record RetentionOptions
{
    public int? Keep { get; init; }
    public double? KeepDays { get; init; }
    public bool IsEnabled => Keep is not null || KeepDays is not null;
}

/// <summary>
/// Backup-directory naming and retention. The plan is pure: which files to delete, given the files, the rules, "now"
/// and the newest snapshot known to be good (just saved and verified), which is never deleted whatever the rules say.
/// Files that do not follow the naming scheme are never touched.
/// </summary>
public static class SnapshotRetention
{
    public const string Prefix = "etcd-snapshot-";
    public const string Suffix = ".db";
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string FileNameFor(DateTimeOffset taken) =>
        Prefix + taken.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture) + Suffix;

    public static bool TryParse(string path, out DateTimeOffset taken)
    {
        taken = default;
        var name = System.IO.Path.GetFileName(path);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var stamp = name[Prefix.Length..^Suffix.Length];
        if (!DateTime.TryParseExact(stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)) return false;
        taken = new DateTimeOffset(t, TimeSpan.Zero);
        return true;
    }

    public static IReadOnlyList<BackupFile> List(string directory) =>
        [.. Directory.EnumerateFiles(directory, Prefix + "*" + Suffix)
            .Select(p => TryParse(p, out var t) ? new BackupFile(p, t) : null)
            .OfType<BackupFile>()
            .OrderByDescending(f => f.Taken)];

    public static IReadOnlyList<BackupFile> PlanDeletions(IReadOnlyList<BackupFile> files, RetentionOptions options, DateTimeOffset now, string newestGood)
    {
        if (!options.IsEnabled) return [];
        var ordered = files.OrderByDescending(f => f.Taken).ThenByDescending(f => f.Path, StringComparer.Ordinal).ToList();
        var delete = new List<BackupFile>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var f = ordered[i];
            if (string.Equals(System.IO.Path.GetFullPath(f.Path), System.IO.Path.GetFullPath(newestGood), StringComparison.Ordinal)) continue;
            var beyondCount = options.Keep is { } keep && i >= keep;
            var tooOld = options.KeepDays is { } days && f.Taken < now - TimeSpan.FromDays(days);
            if (beyondCount || tooOld) delete.Add(f);
        }
        return delete;
    }

    /// <summary>Deletes what the plan says; returns what was deleted.</summary>
    public static IReadOnlyList<BackupFile> Apply(string directory, RetentionOptions options, DateTimeOffset now, string newestGood)
    {
        var delete = PlanDeletions(List(directory), options, now, newestGood);
        foreach (var f in delete) File.Delete(f.Path);
        return delete;
    }
}
