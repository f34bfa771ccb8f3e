using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Snapshot;
using Drydock.Pki;

namespace Drydock.Planning.Preflight;

/// <summary>
/// A recent etcd backup before the upgrade: the newest snapshot in <c>--backup-dir</c> (named by
/// <c>drydock etcd snapshot save --dir</c>) that passes the same integrity check as <c>etcd snapshot status</c>,
/// and its age on the injected clock. Warns (never blocks) when there is none, when it is older than the limit, or
/// when newer files are corrupt.
/// </summary>
public sealed class EtcdBackupAgeCheck(string directory, TimeSpan maxAge, TimeProvider time) : IPreflightCheck
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(24);

    public string Name => "etcd-backup";

    private string Remedy => $"take one now: drydock etcd snapshot save --dir {directory}";

    public async ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        if (!Directory.Exists(directory))
            return Warn($"backup directory {directory} does not exist", []);
        var now = time.GetUtcNow();
        var evidence = new List<string>();
        foreach (var file in SnapshotRetention.List(directory))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var status = await SnapshotStatusReader.ReadAsync(file.Path, ct).ConfigureAwait(false);
                if (status.Integrity == SnapshotIntegrity.HashMismatch)
                {
                    evidence.Add($"{file.Path}: skipped, its sha256 does not match (the file was altered)");
                    continue;
                }
                var age = now - file.Taken;
                evidence.Insert(0, $"{file.Path}: taken {ResidualTime.FormatExpires(file.Taken)}, {Age(age)} ago, revision {status.Revision}, {status.TotalKey} keys");
                if (age > maxAge)
                    return Warn($"newest etcd snapshot is {Age(age)} old (limit {Age(maxAge)}, --backup-max-age)", evidence);
                return new PreflightResult
                {
                    Check = Name, Status = evidence.Count > 1 ? PreflightStatus.Warn : PreflightStatus.Pass,
                    Summary = $"etcd snapshot {Age(age)} old (limit {Age(maxAge)})",
                    Evidence = EvidenceList.Cap(evidence), Remedy = evidence.Count > 1 ? "delete or replace the damaged snapshot files" : null,
                };
            }
            catch (DrydockException e)
            {
                evidence.Add(e.Error is SnapshotFileError f ? $"{f.Path}: skipped, {f.Reason}" : $"{file.Path}: skipped, {e.Error.Message}");
            }
        }
        return Warn($"no valid etcd snapshot in {directory}", evidence);
    }

    /// <summary>"45m", "30h", "5d": hours up to three days, so "30h old (limit 24h)" reads right.</summary>
    internal static string Age(TimeSpan d) =>
        d < TimeSpan.FromHours(1) ? $"{Math.Max(0, (long)d.TotalMinutes)}m" : d < TimeSpan.FromHours(72) ? $"{(long)d.TotalHours}h" : $"{(long)d.TotalDays}d";

    private PreflightResult Warn(string summary, List<string> evidence) =>
        new() { Check = Name, Status = PreflightStatus.Warn, Summary = summary, Evidence = EvidenceList.Cap(evidence), Remedy = Remedy };
}
