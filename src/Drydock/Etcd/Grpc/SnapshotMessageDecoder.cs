namespace Drydock.Etcd.Grpc;

/// <summary>
/// Reads a SnapshotResponse (header 1, remaining_bytes 2, blob 3, version 4) straight from the receive buffer, so the
/// 32 KiB blob is not copied into a new ByteString for every message: a 1 GB snapshot would otherwise allocate 1 GB.
/// Tests hold it to the generated parser. Unknown fields are skipped, as protobuf requires.
/// </summary>
internal static class SnapshotMessageDecoder
{
    public static (ReadOnlyMemory<byte> Blob, ulong RemainingBytes) Decode(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        var at = 0;
        ulong remaining = 0;
        ReadOnlyMemory<byte> blob = ReadOnlyMemory<byte>.Empty;
        while (at < span.Length)
        {
            var tag = ReadVarint(span, ref at);
            var field = tag >> 3;
            switch (tag & 7)
            {
                case 0:
                    var v = ReadVarint(span, ref at);
                    if (field == 2) remaining = v;
                    break;
                case 1: Skip(span, ref at, 8); break;
                case 5: Skip(span, ref at, 4); break;
                case 2:
                    var length = ReadVarint(span, ref at);
                    if (length > (ulong)(span.Length - at)) throw new GrpcProtocolException("SnapshotResponse field runs past the message");
                    if (field == 3) blob = message.Slice(at, (int)length);
                    at += (int)length;
                    break;
                default:
                    throw new GrpcProtocolException($"SnapshotResponse has wire type {tag & 7} for field {field}");
            }
        }
        return (blob, remaining);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= span.Length) throw new GrpcProtocolException("SnapshotResponse ends inside a varint");
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new GrpcProtocolException("SnapshotResponse varint longer than 10 bytes");
    }

    private static void Skip(ReadOnlySpan<byte> span, ref int at, int n)
    {
        if (span.Length - at < n) throw new GrpcProtocolException("SnapshotResponse field runs past the message");
        at += n;
    }
}
