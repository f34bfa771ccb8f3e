using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Drydock.Etcd.Snapshot.Bbolt;

/// <summary>
/// A read-only bbolt reader for snapshot files: reads pages on demand (constant memory, whatever the file size),
/// walks buckets in key order, and checks what bbolt's tx.Check checks that matters here — page ids in range,
/// page headers matching their ids, keys sorted, every page used once (so cycles cannot loop), freed and
/// reachable pages covering the file. It takes no lock, so unlike bbolt it never hangs on a live database.
/// </summary>
internal sealed class BboltReader : IDisposable
{
    private const int MaxDepth = 64;
    private readonly SafeFileHandle _handle;
    private readonly HashSet<ulong> _reached = [];

    private BboltReader(SafeFileHandle handle, long fileLength, BboltMeta meta)
    {
        _handle = handle;
        FileLength = fileLength;
        Meta = meta;
    }

    public BboltMeta Meta { get; }
    public long FileLength { get; }
    /// <summary>bbolt's tx.Size(): high-water page id × page size.</summary>
    public long DatabaseSize => checked((long)Meta.HighWaterPage * Meta.PageSize);

    public static BboltReader Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try
        {
            var length = RandomAccess.GetLength(handle);
            var first = new byte[4096];
            var n = RandomAccess.Read(handle, first, 0);
            var meta0 = BboltMeta.TryParse(first.AsSpan(0, n), out var problem0);
            // Meta 1 sits one page further; when meta 0 is damaged, assume bbolt's usual 4 KiB pages.
            var pageSize = meta0?.PageSize ?? 4096;
            var second = new byte[BboltMeta.Offset + BboltMeta.Length];
            var m = length >= pageSize ? RandomAccess.Read(handle, second, pageSize) : 0;
            var meta1 = BboltMeta.TryParse(second.AsSpan(0, m), out var problem1);
            var meta = (meta0, meta1) switch
            {
                (null, null) => throw new BboltFormatException(problem0 == problem1 ? problem0! : $"{problem0}; second meta page: {problem1}"),
                (not null, null) => meta0,
                (null, not null) => meta1,
                _ => meta1!.TxId > meta0!.TxId ? meta1 : meta0,
            };
            if (meta.HighWaterPage < 2) throw new BboltFormatException($"implausible high-water page id {meta.HighWaterPage}");
            var reader = new BboltReader(handle, length, meta);
            if (length < reader.DatabaseSize)
                throw new BboltFormatException($"file is truncated: the database needs {reader.DatabaseSize} bytes, the file has {length}");
            return reader;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads page <paramref name="id"/> with its overflow pages, once: a second visit means a cycle or a shared page.</summary>
    public BboltPage ReadPage(ulong id, string where)
    {
        if (id < 2 || id >= Meta.HighWaterPage) throw new BboltFormatException($"{where}: page id {id} out of range (high water {Meta.HighWaterPage})");
        if (!_reached.Add(id)) throw new BboltFormatException($"{where}: page {id} is referenced twice (cycle or corrupt branch)");
        var offset = (long)id * Meta.PageSize;
        var header = new byte[BboltPage.HeaderSize];
        RandomAccess.Read(_handle, header, offset);
        var overflow = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (id + overflow >= Meta.HighWaterPage) throw new BboltFormatException($"{where}: page {id} overflows past the high-water mark");
        for (var o = 1UL; o <= overflow; o++)
            if (!_reached.Add(id + o)) throw new BboltFormatException($"{where}: overflow page {id + o} is referenced twice");
        var size = checked((int)((overflow + 1L) * Meta.PageSize));
        var data = new byte[size];
        if (RandomAccess.Read(_handle, data, offset) < size) throw new BboltFormatException($"{where}: page {id} is cut off by the end of the file");
        var page = new BboltPage(data, $"page {id}");
        if (page.Id != id) throw new BboltFormatException($"{where}: page {id} carries id {page.Id}");
        return page;
    }

    /// <summary>The root bucket: its entries are the top-level buckets.</summary>
    public BboltBucket Root => new(Meta.RootPage, null, "root bucket");

    /// <summary>A sub-bucket from its leaf value: {root pgid u64, sequence u64}, and for an inline bucket (root 0) its page image.</summary>
    public static BboltBucket OpenBucket(ReadOnlyMemory<byte> value, string name)
    {
        if (value.Length < 16) throw new BboltFormatException($"bucket {name}: header shorter than 16 bytes");
        var root = BinaryPrimitives.ReadUInt64LittleEndian(value.Span);
        return root == 0 ? new BboltBucket(0, value[16..], $"bucket {name} (inline)") : new BboltBucket(root, null, $"bucket {name}");
    }

    /// <summary>Every leaf element of a bucket in key order (sub-bucket entries included, flagged).</summary>
    public IEnumerable<(uint Flags, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)> Entries(BboltBucket bucket)
    {
        var start = bucket.Inline is { } inline ? new BboltPage(inline, bucket.Name) : ReadPage(bucket.RootPage, bucket.Name);
        byte[]? previous = null;
        foreach (var entry in Walk(start, bucket.Name, 0))
        {
            if (previous is not null && entry.Key.Span.SequenceCompareTo(previous) <= 0)
                throw new BboltFormatException($"{bucket.Name}: keys out of order");
            previous = entry.Key.ToArray();
            yield return entry;
        }
    }

    private IEnumerable<(uint Flags, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)> Walk(BboltPage page, string bucket, int depth)
    {
        if (depth > MaxDepth) throw new BboltFormatException($"{bucket}: tree deeper than {MaxDepth} levels");
        switch (page.Flags)
        {
            case BboltPage.LeafFlag:
                for (var i = 0; i < page.Count; i++) yield return page.Leaf(i);
                break;
            case BboltPage.BranchFlag:
                for (var i = 0; i < page.Count; i++)
                {
                    var child = ReadPage(page.Branch(i).Child, $"{bucket}, {page.Where}");
                    foreach (var e in Walk(child, bucket, depth + 1)) yield return e;
                }
                break;
            default:
                throw new BboltFormatException($"{bucket}: {page.Where} has flags 0x{page.Flags:x} where a branch or leaf page belongs");
        }
    }

    /// <summary>
    /// bbolt's "unreachable unfreed" check: after every bucket was walked, each page below the high-water mark must
    /// be a meta page, the freelist, free, or reached. Skipped when the freelist is not stored.
    /// </summary>
    public void CheckAllPagesAccountedFor()
    {
        if (Meta.FreelistPage == BboltMeta.NoFreelist) return;
        var freelist = ReadPage(Meta.FreelistPage, "freelist");
        if (freelist.Flags != BboltPage.FreelistFlag) throw new BboltFormatException($"freelist page {Meta.FreelistPage} has flags 0x{freelist.Flags:x}");
        var span = freelist.Data.Span;
        long count = freelist.Count;
        var at = BboltPage.HeaderSize;
        if (count == 0xFFFF)
        {
            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[at..]);
            at += 8;
        }
        if (at + count * 8 > span.Length) throw new BboltFormatException("freelist: more ids than fit in its pages");
        var free = new HashSet<ulong>();
        for (var i = 0L; i < count; i++)
        {
            var id = BinaryPrimitives.ReadUInt64LittleEndian(span[(int)(at + i * 8)..]);
            if (id < 2 || id >= Meta.HighWaterPage) throw new BboltFormatException($"freelist: page id {id} out of range");
            if (_reached.Contains(id)) throw new BboltFormatException($"page {id} is both in use and free");
            free.Add(id);
        }
        for (var id = 2UL; id < Meta.HighWaterPage; id++)
            if (!_reached.Contains(id) && !free.Contains(id))
                throw new BboltFormatException($"page {id} is neither reachable nor free");
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>Where a bucket's tree starts: a page, or (inline) a page image inside its parent's value.</summary>
internal readonly record struct BboltBucket(ulong RootPage, ReadOnlyMemory<byte>? Inline, string Name);
