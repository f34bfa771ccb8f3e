namespace Drydock.Etcd.Snapshot;

/// <summary>How far a snapshot download is. <see cref="TotalBytes"/> is known after the first chunk (etcd sends remaining_bytes).</summary>
public sealed record SnapshotProgress
{
    public long BytesReceived { get; init; }
    public long? TotalBytes { get; init; }
    public TimeSpan Elapsed { get; init; }
    public bool Completed { get; init; }
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? BytesReceived / Elapsed.TotalSeconds : 0;
}
