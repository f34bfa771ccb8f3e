using System.Buffers.Binary;
using System.Numerics;

namespace Drydock.Etcd.Snapshot.Bbolt;

/// <summary>
/// CRC-32C (Castagnoli), as Go's crc32.New(crc32.MakeTable(crc32.Castagnoli)) computes it: inverted in, inverted out.
/// BitOperations.Crc32C uses the CPU's crc32 instruction when there is one and a table otherwise.
/// (System.IO.Hashing is not in the registry here.)
/// </summary>
public sealed class Crc32C
{
    private uint _state = uint.MaxValue;

    public uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _state;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        _state = crc;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32C();
        crc.Append(data);
        return crc.Value;
    }
}
