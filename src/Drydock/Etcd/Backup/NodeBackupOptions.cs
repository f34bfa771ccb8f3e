using Drydock.Etcd.Snapshot;

namespace Drydock.Etcd.Backup;

/// <summary>Where and how a control-plane node saves an etcd snapshot with its own etcdctl (the seeds' procedure).</summary>
public sealed record NodeBackupOptions
{
    /// <summary>Directory on the node; created 0700. Files are etcd-snapshot-&lt;UTC&gt;.db, as `drydock etcd snapshot save --dir` names them.</summary>
    public string Directory { get; init; } = "/var/lib/drydock/etcd-backups";
    public string Endpoint { get; init; } = EtcdConstants.DefaultEndpoint;
    public string CaCert { get; init; } = EtcdConstants.DefaultCaCert;
    public string Cert { get; init; } = EtcdConstants.DefaultCert;
    public string Key { get; init; } = EtcdConstants.DefaultKey;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>A saved and verified snapshot on a node.</summary>
public sealed record NodeBackupResult(string Node, string Path, SnapshotStatus Status, string CommandLine);
