using System.Security.Cryptography;
using Drydock.Common;

namespace Drydock.Etcd.Snapshot;

/// <summary>
/// <c>etcdctl snapshot save</c>, verified: streams Maintenance.Snapshot into FILE.part (constant memory), checks that
/// the trailing 32 bytes are sha256 of everything before them, fsyncs, renames atomically and fsyncs the directory
/// (so the rename itself is durable). The file is mode 0600 from its creation (it holds every secret in the cluster).
/// Each chunk goes from the receive buffer to the hash and to the file (pwrite) without being copied.
/// </summary>
public sealed class SnapshotSaver(IEtcdClient client, TimeProvider time)
{
    /// <summary>How often progress is reported while bytes flow.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task<SnapshotSaveResult> SaveAsync(string path, IProgress<SnapshotProgress>? progress = null, CancellationToken ct = default)
    {
        if (client.Endpoints.Count != 1)
            throw new DrydockException(new UsageError($"{EtcdConstants.SnapshotOneEndpointMessage} [{string.Join(' ', client.Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority)))}]"));
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DrydockException(new UsageError($"directory {dir} does not exist (for snapshot {path})"));
        var part = full + ".part";
        var started = time.GetTimestamp();
        try
        {
            File.Delete(part);
            var (bytes, sha) = await DownloadAsync(part, started, progress, ct);
            File.Move(part, full, overwrite: true);
            DirectoryFsync.Sync(dir);
            return new SnapshotSaveResult
            {
                Path = full,
                Endpoint = client.Endpoints[0],
                DatabaseBytes = bytes,
                Sha256 = Convert.ToHexStringLower(sha),
                Duration = time.GetElapsedTime(started),
            };
        }
        catch
        {
            TryDelete(part);
            throw;
        }
    }

    private async Task<(long Bytes, byte[] Sha)> DownloadAsync(string part, long started, IProgress<SnapshotProgress>? progress, CancellationToken ct)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            // Unbuffered: each chunk is written from the receive buffer at its offset (pwrite), no copy into a FileStream buffer.
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The last 32 bytes seen are held back from the hash: they are the hash, once the stream ends.
        var tail = new byte[EtcdConstants.SnapshotHashLength];
        var tailLength = 0;
        long written = 0;
        long? total = null;
        var lastReport = started;
        using (var file = new FileStream(part, options))
        {
            var handle = file.SafeFileHandle;
            await foreach (var chunk in client.SnapshotAsync(ct))
            {
                // etcd sets remaining_bytes = total - sent after each chunk, so the first chunk tells the database size.
                total ??= written + chunk.Blob.Length + (long)chunk.RemainingBytes;
                RandomAccess.Write(handle, chunk.Blob.Span, written);
                written += chunk.Blob.Length;
                HoldBackTail(sha, chunk.Blob.Span, tail, ref tailLength);
                if (progress is not null && time.GetElapsedTime(lastReport) >= ProgressInterval)
                {
                    lastReport = time.GetTimestamp();
                    progress.Report(new SnapshotProgress { BytesReceived = written, TotalBytes = total + EtcdConstants.SnapshotHashLength, Elapsed = time.GetElapsedTime(started) });
                }
            }
            var database = written - EtcdConstants.SnapshotHashLength;
            if (tailLength < EtcdConstants.SnapshotHashLength || database <= 0)
                throw Corrupt($"etcd sent only {written} bytes, too few for a database and its sha256");
            var actual = sha.GetHashAndReset();
            if (!actual.AsSpan().SequenceEqual(tail))
                throw Corrupt($"sha256 mismatch: etcd sent {Convert.ToHexStringLower(tail)}, the data hashes to {Convert.ToHexStringLower(actual)}");
            if (total is { } expected && expected != database)
                throw Corrupt($"size mismatch: etcd announced {expected} database bytes and sent {database}");
            RandomAccess.FlushToDisk(handle);
            progress?.Report(new SnapshotProgress { BytesReceived = written, TotalBytes = written, Elapsed = time.GetElapsedTime(started), Completed = true });
            return (database, actual);
        }
    }

    /// <summary>Hashes everything except the most recent 32 bytes, which move into <paramref name="tail"/>.</summary>
    internal static void HoldBackTail(IncrementalHash sha, ReadOnlySpan<byte> blob, byte[] tail, ref int tailLength)
    {
        var keep = tail.Length;
        if (blob.Length >= keep)
        {
            sha.AppendData(tail.AsSpan(0, tailLength));
            sha.AppendData(blob[..^keep]);
            blob[^keep..].CopyTo(tail);
            tailLength = keep;
            return;
        }
        // A short blob: the oldest bytes of tail + blob leave the window.
        var combined = tailLength + blob.Length;
        var leaving = Math.Max(0, combined - keep);
        sha.AppendData(tail.AsSpan(0, leaving));
        Array.Copy(tail, leaving, tail, 0, tailLength - leaving);
        blob.CopyTo(tail.AsSpan(tailLength - leaving));
        tailLength = combined - leaving;
    }

    private DrydockException Corrupt(string reason) =>
        new(new EtcdError($"snapshot from {client.Endpoints[0].GetLeftPart(UriPartial.Authority)} failed verification: {reason}", client.Endpoints[0]));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
