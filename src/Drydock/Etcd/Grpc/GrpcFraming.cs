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
}

/// <summary>
/// Reads length-prefixed messages out of a response body through one large pooled buffer: each read from the HTTP/2
/// stream takes whatever has arrived (often many messages at once) and messages are handed out as slices of that
/// buffer, not copied. A 32 KiB snapshot chunk thus costs no copy and, mostly, no await of its own.
/// </summary>
internal sealed class GrpcMessageReader(Stream body, int maxMessageBytes) : IDisposable
{
    private const int InitialBufferBytes = 1 << 20;
    private const int MinReadBytes = 64 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _start;
    private int _end;

    /// <summary>
    /// The next message's protobuf bytes, valid until the next call; null at a clean end of stream (no bytes of a
    /// next frame).
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= GrpcFraming.PrefixLength)
            {
                var prefix = _buffer.AsSpan(_start, GrpcFraming.PrefixLength);
                if (prefix[0] != 0) throw new GrpcProtocolException($"compressed message (flag {prefix[0]}) although none was requested");
                var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
                if (length > (uint)maxMessageBytes) throw new GrpcProtocolException($"message of {length} bytes exceeds the {maxMessageBytes}-byte limit (not a gRPC endpoint?)");
                var frame = GrpcFraming.PrefixLength + (int)length;
                if (available >= frame)
                {
                    var message = _buffer.AsMemory(_start + GrpcFraming.PrefixLength, (int)length);
                    _start += frame;
                    return message;
                }
                MakeRoom(frame);
            }
            else MakeRoom(GrpcFraming.PrefixLength);

            var read = await body.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0)
            {
                if (_end == _start) return null;
                throw new GrpcProtocolException(_end - _start < GrpcFraming.PrefixLength ? "stream ended inside a message prefix" : "stream ended inside a message");
            }
            _end += read;
        }
    }

    /// <summary>
    /// Moves the unread tail (a partial message at most) to the front when the frame would not fit or little room is
    /// left to read into, and grows the buffer for a frame larger than it.
    /// </summary>
    private void MakeRoom(int frame)
    {
        var pending = _end - _start;
        if (pending == 0) _start = _end = 0;
        else if (_start > 0 && (_buffer.Length - _start < frame || _buffer.Length - _end < MinReadBytes))
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_buffer.Length < frame)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(frame);
            Buffer.BlockCopy(_buffer, _start, bigger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _start = 0;
            _end = pending;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

internal sealed class GrpcProtocolException(string message) : Exception(message);
