namespace Drydock.Etcd;

/// <summary>
/// The etcd v3 calls Drydock needs, over gRPC. Every failure is a <see cref="Common.DrydockException"/> carrying an
/// <see cref="EtcdError"/> whose one-line message names the endpoint and the fix.
/// </summary>
public interface IEtcdClient : IAsyncDisposable
{
    IReadOnlyList<Uri> Endpoints { get; }

    /// <summary>Maintenance.Status of one endpoint (the first one that answers when <paramref name="endpoint"/> is null).</summary>
    Task<EtcdStatus> StatusAsync(Uri? endpoint = null, CancellationToken ct = default);

    /// <summary>KV.Range with count_only over [key, rangeEnd); "\0","\0" counts every key.</summary>
    Task<long> CountAsync(byte[] key, byte[] rangeEnd, CancellationToken ct = default);

    /// <summary>Cluster.MemberList.</summary>
    Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken ct = default);

    /// <summary>
    /// Maintenance.Snapshot from the first endpoint: the database in chunks, then one last 32-byte chunk holding its
    /// sha256. The stream ends only at end of stream (remaining_bytes is already 0 on the last data chunk).
    /// </summary>
    IAsyncEnumerable<SnapshotChunk> SnapshotAsync(CancellationToken ct = default);
}

/// <summary>One Maintenance.Snapshot message. <see cref="Blob"/> is valid until the next one is read.</summary>
public readonly record struct SnapshotChunk(ReadOnlyMemory<byte> Blob, ulong RemainingBytes);

public static class EtcdClientExtensions
{
    private static readonly byte[] AllKeys = [0];

    /// <summary>How many keys the whole keyspace holds (etcdctl get "" --prefix --count-only).</summary>
    public static Task<long> CountAllKeysAsync(this IEtcdClient client, CancellationToken ct = default) => client.CountAsync(AllKeys, AllKeys, ct);
}
