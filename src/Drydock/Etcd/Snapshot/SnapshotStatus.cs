using System.Text.Json.Serialization;

namespace Drydock.Etcd.Snapshot;

/// <summary>
/// The four numbers <c>etcdctl snapshot status -w json</c> prints, with its JSON names, plus whether the file carries
/// the sha256 etcd appends and whether it matches (not part of etcdctl's output; left out of JSON).
/// </summary>
public sealed record SnapshotStatus
{
    [JsonPropertyName("hash")] public uint Hash { get; init; }
    [JsonPropertyName("revision")] public long Revision { get; init; }
    [JsonPropertyName("totalKey")] public long TotalKey { get; init; }
    [JsonPropertyName("totalSize")] public long TotalSize { get; init; }
    [JsonIgnore] public SnapshotIntegrity Integrity { get; init; }
}

public enum SnapshotIntegrity
{
    /// <summary>The file ends with sha256 of the database bytes, and it matches.</summary>
    HashMatches,
    /// <summary>No trailing hash (a raw member/snap/db copy); restore needs --skip-hash-check.</summary>
    NoHash,
    /// <summary>A trailing hash is present and does not match: the file was altered.</summary>
    HashMismatch,
}

[JsonSerializable(typeof(SnapshotStatus))]
public sealed partial class SnapshotJsonContext : JsonSerializerContext;
