namespace Drydock.Etcd.Restore;

/// <summary>How to restore. Timeouts and polling run on the executor's TimeProvider.</summary>
public sealed record EtcdRestoreOptions
{
    /// <summary>The snapshot file's path on the node(s).</summary>
    public required string SnapshotPath { get; init; }

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
