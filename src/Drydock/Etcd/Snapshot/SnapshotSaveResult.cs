namespace Drydock.Etcd.Snapshot;

/// <summary>A saved, verified snapshot: the file is the database followed by its sha256, as etcdctl writes it.</summary>
public sealed record SnapshotSaveResult
{
    public required string Path { get; init; }
    public required Uri Endpoint { get; init; }
    /// <summary>Database bytes (the file is 32 bytes longer).</summary>
    public long DatabaseBytes { get; init; }
    public required string Sha256 { get; init; }
    public TimeSpan Duration { get; init; }
}
