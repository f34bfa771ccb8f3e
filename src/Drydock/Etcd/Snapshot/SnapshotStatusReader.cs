using System.Buffers.Binary;
using System.Text;
using Drydock.Common;
using Drydock.Etcd.Snapshot.Bbolt;

namespace Drydock.Etcd.Snapshot;

/// <summary>
/// <c>etcdctl snapshot status</c> without etcd: walks the bbolt file's buckets in key order, feeding each bucket
/// name and each key and value into one CRC-32C, counting every entry, and taking the revision from the last key of
/// bucket "key" (17 bytes: 8-byte big-endian main revision, '_', 8-byte sub revision, optional 't').
/// </summary>
public static class SnapshotStatusReader
{
    private static readonly byte[] KeyBucket = "key"u8.ToArray();
    private const int RevisionKeyLength = 17;

    public static async Task<SnapshotStatus> ReadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new DrydockException(new UsageError($"snapshot file {path} not found"));
        try
        {
            var status = await Task.Run(() => Compute(path, ct), ct);
            return status with { Integrity = await SnapshotHash.VerifyAsync(path, ct) };
        }
        catch (BboltFormatException ex)
        {
            throw new DrydockException(new SnapshotFileError(path, $"integrity check failed: {ex.Message}"), ex);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            // Bounds are checked where data is read; this catches a corrupt size that slipped between two checks.
            throw new DrydockException(new SnapshotFileError(path, $"integrity check failed: {ex.Message}"), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DrydockException(new SnapshotFileError(path, $"cannot read: {ex.Message}"), ex);
        }
    }

    internal static SnapshotStatus Compute(string path, CancellationToken ct)
    {
        using var db = BboltReader.Open(path);
        var crc = new Crc32C();
        long totalKey = 0, revision = 0;
        foreach (var (flags, name, value) in db.Entries(db.Root))
        {
            ct.ThrowIfCancellationRequested();
            var bucketName = Encoding.UTF8.GetString(name.Span);
            if ((flags & BboltPage.BucketLeafFlag) == 0) throw new BboltFormatException($"cannot get hash of bucket {bucketName}: not a bucket");
            crc.Append(name.Span);
            var isKeyBucket = name.Span.SequenceEqual(KeyBucket);
            foreach (var (entryFlags, key, v) in db.Entries(BboltReader.OpenBucket(value, bucketName)))
            {
                crc.Append(key.Span);
                // bbolt's ForEach hands a nested bucket's value as nil, so it adds nothing to the hash.
                if ((entryFlags & BboltPage.BucketLeafFlag) == 0) crc.Append(v.Span);
                if (isKeyBucket)
                {
                    if (key.Length < RevisionKeyLength) throw new BboltFormatException($"bucket key: key of {key.Length} bytes is not a revision");
                    revision = (long)BinaryPrimitives.ReadUInt64BigEndian(key.Span);
                }
                totalKey++;
            }
        }
        db.CheckAllPagesAccountedFor();
        return new SnapshotStatus { Hash = crc.Value, Revision = revision, TotalKey = totalKey, TotalSize = db.DatabaseSize };
    }
}
