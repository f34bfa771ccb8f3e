namespace Drydock.Etcd.Restore;

/// <summary>How to restore. Timeouts and polling run on the executor's TimeProvider.</summary>
public sealed record EtcdRestoreOptions
{
    /// <summary>
    /// The snapshot file's path on the node(s); with <see cref="Upload"/>, its path on the machine running Drydock,
    /// from where it is copied to every node first.
    /// </summary>
    public required string SnapshotPath { get; init; }

    /// <summary>Set when the snapshot must be copied to the nodes (it lives where Drydock runs, the nodes are remote).</summary>
    public SnapshotUpload? Upload { get; init; }

    /// <summary>
    /// Restore a file without the trailing sha256 (a copy of member/snap/db), as <c>etcdutl snapshot restore
    /// --skip-hash-check</c>: the on-node sha256 check is replaced by a size check and the restore tool gets the flag.
    /// </summary>
    public bool SkipHashCheck { get; init; }

    /// <summary>
    /// Drydock runs off the nodes (ssh, sandbox): etcd listens on each node's loopback, so it is watched from the node
    /// (curl of the manifest's metrics /health through the node agent) rather than dialled from here.
    /// </summary>
    public bool WatchEtcdFromNode { get; init; }

    /// <summary>UTC time that names the new data dir and the aside dir ("20261122T004500Z").</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Revision read from the snapshot; the restored etcd must report at least this.</summary>
    public long? ExpectedRevision { get; init; }

    /// <summary>Members of the live cluster, when it could still be asked; every one needs a target node.</summary>
    public IReadOnlyList<EtcdMember>? Members { get; init; }

    /// <summary>Overrides the apiserver readiness URL derived from its manifest (https://127.0.0.1:PORT/readyz).</summary>
    public string? ApiServerHealthUrl { get; init; }

    /// <summary>How long to wait for etcd to stop, for etcd to come back, for the apiserver to become ready.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The local snapshot's size and sha256 (hex), computed once; each node's copy is checked against them.</summary>
public sealed record SnapshotUpload(long Length, string Sha256);
