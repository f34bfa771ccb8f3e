using System.Globalization;
using System.Text.Json;
using Drydock.Common;
using Drydock.Etcd.Snapshot;
using Drydock.Nodes;

namespace Drydock.Etcd.Backup;

/// <summary>
/// "Back up before you upgrade", done for the operator: on a control-plane node, `etcdctl snapshot save` with the
/// kubeadm certificates into a new file, then `etcdctl snapshot status -w json` on that file. The backup counts only
/// when the status parses and shows keys — a snapshot that cannot be read back is no backup.
/// </summary>
public static class NodeSnapshotBackup
{
    public static string FileName(DateTimeOffset now) =>
        $"etcd-snapshot-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.db";

    /// <summary>The shell the node runs (also shown to the operator in --dry-run and failures).</summary>
    public static string Command(NodeBackupOptions o, string path)
    {
        var auth = $"--endpoints={Q(o.Endpoint)} --cacert={Q(o.CaCert)} --cert={Q(o.Cert)} --key={Q(o.Key)}";
        return $"set -e; command -v etcdctl >/dev/null || {{ echo 'etcdctl not found on this node: install etcd-client (apt/yum) or pass --skip-backup' >&2; exit 127; }}; "
            + $"mkdir -p {Q(o.Directory)} && chmod 700 {Q(o.Directory)}; "
            + $"ETCDCTL_API=3 etcdctl {auth} snapshot save {Q(path)} >&2; chmod 600 {Q(path)}; "
            + $"ETCDCTL_API=3 etcdctl snapshot status {Q(path)} -w json";
    }

    public static async Task<NodeBackupResult> TakeAsync(INodeAgent agent, NodeBackupOptions options, TimeProvider time, CancellationToken ct)
    {
        var path = $"{options.Directory.TrimEnd('/')}/{FileName(time.GetUtcNow())}";
        var command = Command(options, path);
        var result = await agent.RunAsync(new RunCommand(command, options.Timeout), ct);
        if (!result.Succeeded)
            throw new DrydockException(new OperationError(
                $"etcd backup on {agent.NodeName} failed (exit {result.ExitCode}): {LastLine(result.Stderr) ?? LastLine(result.Stdout) ?? "no output"}; fix it or pass --skip-backup"));
        var status = ParseStatus(result.Stdout)
            ?? throw new DrydockException(new OperationError(
                $"etcd backup on {agent.NodeName}: `etcdctl snapshot status` did not print a status for {path}; the snapshot is not verified (pass --skip-backup to go on without one)"));
        if (status.TotalKey <= 0 || status.TotalSize <= 0)
            throw new DrydockException(new OperationError($"etcd backup on {agent.NodeName}: {path} holds no keys (totalKey {status.TotalKey}); refusing to treat it as a backup"));
        return new NodeBackupResult(agent.NodeName, path, status, result.CommandLine);
    }

    /// <summary>Reads etcdctl's `snapshot status -w json`: {"hash":…,"revision":…,"totalKey":…,"totalSize":…}.</summary>
    public static SnapshotStatus? ParseStatus(string stdout)
    {
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (line is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new SnapshotStatus
            {
                Hash = r.GetProperty("hash").GetUInt32(), Revision = r.GetProperty("revision").GetInt64(),
                TotalKey = r.GetProperty("totalKey").GetInt64(), TotalSize = r.GetProperty("totalSize").GetInt64(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string? LastLine(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static string Q(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
