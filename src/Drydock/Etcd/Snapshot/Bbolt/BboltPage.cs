using System.Buffers.Binary;

namespace Drydock.Etcd.Snapshot.Bbolt;

/// <summary>
/// One bbolt page image (possibly with overflow pages, or an inline bucket's page inside a value):
/// header {id u64, flags u16, count u16, overflow u32}, then 16-byte elements whose <c>pos</c> counts from the element.
/// Every accessor checks bounds, so a corrupt page is an error, not an exception from deep inside.
/// </summary>
internal readonly struct BboltPage
{
    public const int HeaderSize = 16;
    public const int ElementSize = 16;
    public const ushort BranchFlag = 0x01;
    public const ushort LeafFlag = 0x02;
    public const ushort MetaFlag = 0x04;
    public const ushort FreelistFlag = 0x10;
    /// <summary>Leaf element flag: the value is a sub-bucket header.</summary>
    public const uint BucketLeafFlag = 0x01;

    private readonly ReadOnlyMemory<byte> _data;

    public BboltPage(ReadOnlyMemory<byte> data, string where)
    {
        if (data.Length < HeaderSize) throw new BboltFormatException($"{where}: page shorter than its header");
        _data = data;
        Where = where;
        var span = data.Span;
        Id = BinaryPrimitives.ReadUInt64LittleEndian(span);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
        Count = BinaryPrimitives.ReadUInt16LittleEndian(span[10..]);
        Overflow = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        if ((Flags == BranchFlag || Flags == LeafFlag) && HeaderSize + (long)Count * ElementSize > data.Length)
            throw new BboltFormatException($"{where}: {Count} elements do not fit in the page");
    }

    public string Where { get; }
    public ulong Id { get; }
    public ushort Flags { get; }
    public ushort Count { get; }
    public uint Overflow { get; }

    public ReadOnlyMemory<byte> Data => _data;

    public (ReadOnlyMemory<byte> Key, ulong Child) Branch(int i)
    {
        var e = HeaderSize + i * ElementSize;
        var span = _data.Span;
        var pos = BinaryPrimitives.ReadUInt32LittleEndian(span[e..]);
        var ksize = BinaryPrimitives.ReadUInt32LittleEndian(span[(e + 4)..]);
        var child = BinaryPrimitives.ReadUInt64LittleEndian(span[(e + 8)..]);
        return (Slice(e + (long)pos, ksize, i), child);
    }

    public (uint Flags, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value) Leaf(int i)
    {
        var e = HeaderSize + i * ElementSize;
        var span = _data.Span;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(span[e..]);
        var pos = BinaryPrimitives.ReadUInt32LittleEndian(span[(e + 4)..]);
        var ksize = BinaryPrimitives.ReadUInt32LittleEndian(span[(e + 8)..]);
        var vsize = BinaryPrimitives.ReadUInt32LittleEndian(span[(e + 12)..]);
        return (flags, Slice(e + (long)pos, ksize, i), Slice(e + (long)pos + ksize, vsize, i));
    }

    private ReadOnlyMemory<byte> Slice(long offset, uint length, int element)
    {
        if (offset < 0 || offset + length > _data.Length)
            throw new BboltFormatException($"{Where}: element {element} points outside the page");
        return _data.Slice((int)offset, (int)length);
    }
}

/// <summary>The file is not a consistent bbolt database; the message says where.</summary>
public sealed class BboltFormatException(string message) : Exception(message);
