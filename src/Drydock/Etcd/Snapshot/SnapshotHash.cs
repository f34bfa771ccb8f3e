using System.Security.Cryptography;

namespace Drydock.Etcd.Snapshot;

/// <summary>
/// The integrity check etcd's restore does: a file whose size is 32 more than a multiple of 512 ends with
/// sha256 of everything before it (the server appends it; bbolt databases are whole pages).
/// </summary>
public static class SnapshotHash
{
    public static bool HasTrailingHash(long fileLength) =>
        fileLength > EtcdConstants.SnapshotHashLength && fileLength % 512 == EtcdConstants.SnapshotHashLength;

    /// <summary>Streams the file once (constant memory).</summary>
    public static async Task<SnapshotIntegrity> VerifyAsync(string path, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var length = file.Length;
        if (!HasTrailingHash(length)) return SnapshotIntegrity.NoHash;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var remaining = length - EtcdConstants.SnapshotHashLength;
        while (remaining > 0)
        {
            var n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            if (n == 0) throw new EndOfStreamException();
            sha.AppendData(buffer, 0, n);
            remaining -= n;
        }
        var expected = new byte[EtcdConstants.SnapshotHashLength];
        await file.ReadExactlyAsync(expected, ct);
        return sha.GetHashAndReset().AsSpan().SequenceEqual(expected) ? SnapshotIntegrity.HashMatches : SnapshotIntegrity.HashMismatch;
    }

    /// <summary>sha256 (hex) of the whole file, streamed: what a copy of it on a node is checked against.</summary>
    public static async Task<string> FileSha256Async(string path, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
