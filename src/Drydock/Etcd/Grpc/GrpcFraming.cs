using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Drydock.Etcd.Grpc;

/// <summary>
/// gRPC's length-prefixed message framing (PROTOCOL-HTTP2.md): 1 byte compressed flag, 4 bytes big-endian length,
/// then the protobuf bytes. We never ask for compression, so a set flag is a protocol error.
/// </summary>
internal static class GrpcFraming
{
    public const int PrefixLength = 5;

    public static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[PrefixLength + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)size);
        message.WriteTo(frame.AsSpan(PrefixLength));
        return frame;
    }

    /// <summary>
    /// Reads the next message into <paramref name="buffer"/> (grown from the pool as needed). Returns the message
    /// length, or -1 at a clean end of stream (no bytes of a next frame).
    /// </summary>
    public static async ValueTask<int> ReadMessageAsync(Stream body, ArrayPoolBuffer buffer, int maxMessageBytes, CancellationToken ct)
    {
        var prefix = buffer.Prefix;
        var read = await ReadAtLeastAsync(body, prefix.AsMemory(0, PrefixLength), ct);
        if (read == 0) return -1;
        if (read < PrefixLength) throw new GrpcProtocolException("stream ended inside a message prefix");
        if (prefix[0] != 0) throw new GrpcProtocolException($"compressed message (flag {prefix[0]}) although none was requested");
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
        if (length > (uint)maxMessageBytes) throw new GrpcProtocolException($"message of {length} bytes exceeds the {maxMessageBytes}-byte limit (not a gRPC endpoint?)");
        var target = buffer.Ensure((int)length);
        if (await ReadAtLeastAsync(body, target.AsMemory(0, (int)length), ct) < length)
            throw new GrpcProtocolException("stream ended inside a message");
        return (int)length;
    }

    private static async ValueTask<int> ReadAtLeastAsync(Stream body, Memory<byte> into, CancellationToken ct) =>
        await body.ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, ct);
}

/// <summary>A reusable receive buffer, so a long stream of 32 KiB chunks costs one buffer, not one per message.</summary>
internal sealed class ArrayPoolBuffer : IDisposable
{
    public byte[] Prefix { get; } = new byte[GrpcFraming.PrefixLength];
    public byte[] Data { get; private set; } = ArrayPool<byte>.Shared.Rent(64 * 1024);

    public byte[] Ensure(int length)
    {
        if (Data.Length < length)
        {
            ArrayPool<byte>.Shared.Return(Data);
            Data = ArrayPool<byte>.Shared.Rent(length);
        }
        return Data;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(Data);
}

internal sealed class GrpcProtocolException(string message) : Exception(message);
