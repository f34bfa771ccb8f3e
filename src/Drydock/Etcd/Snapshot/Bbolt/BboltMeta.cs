using System.Buffers.Binary;

namespace Drydock.Etcd.Snapshot.Bbolt;

/// <summary>
/// bbolt's meta page record (page 0 and page 1, at offset 16): magic, version, page size, flags, root bucket,
/// freelist page, high-water page id, transaction id, FNV-1a-64 checksum of the 56 bytes before it.
/// </summary>
internal sealed record BboltMeta(uint PageSize, ulong RootPage, ulong FreelistPage, ulong HighWaterPage, ulong TxId)
{
    public const uint Magic = 0xED0CDAED;
    public const uint Version = 2;
    public const int Offset = BboltPage.HeaderSize;
    public const int Length = 64;
    /// <summary>bbolt's pgidNoFreelist: the freelist is not stored (NoFreelistSync).</summary>
    public const ulong NoFreelist = ulong.MaxValue;

    /// <summary>Parses and validates one meta record; null with a reason when it is not a valid meta.</summary>
    public static BboltMeta? TryParse(ReadOnlySpan<byte> page, out string? problem)
    {
        problem = null;
        if (page.Length < Offset + Length) { problem = "file too short for a meta page"; return null; }
        var m = page.Slice(Offset, Length);
        if (BinaryPrimitives.ReadUInt32LittleEndian(m) != Magic) { problem = "not a bbolt database (bad magic)"; return null; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(m[4..]) != Version) { problem = "unsupported bbolt version"; return null; }
        if (BinaryPrimitives.ReadUInt64LittleEndian(m[56..]) != Fnv1a64(m[..56])) { problem = "meta page checksum mismatch"; return null; }
        var pageSize = BinaryPrimitives.ReadUInt32LittleEndian(m[8..]);
        if (pageSize < 512 || pageSize > 1 << 20 || (pageSize & (pageSize - 1)) != 0) { problem = $"implausible page size {pageSize}"; return null; }
        return new BboltMeta(
            pageSize,
            RootPage: BinaryPrimitives.ReadUInt64LittleEndian(m[16..]),
            FreelistPage: BinaryPrimitives.ReadUInt64LittleEndian(m[32..]),
            HighWaterPage: BinaryPrimitives.ReadUInt64LittleEndian(m[40..]),
            TxId: BinaryPrimitives.ReadUInt64LittleEndian(m[48..]));
    }

    private static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data) { hash ^= b; hash *= 1099511628211UL; }
        return hash;
    }
}
