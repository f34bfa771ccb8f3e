using System.Buffers.Binary;
using Drydock.Etcd.Grpc;

namespace Drydock.Tests.Etcd;

/// <summary>The frame reader hands out messages as slices of its buffer, however the HTTP/2 stream cuts the bytes.</summary>
public sealed class GrpcMessageReaderTests
{
    /// <summary>A body that returns at most <paramref name="maxRead"/> bytes per read, as a network stream may.</summary>
    private sealed class TricklingStream(byte[] data, int maxRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], ct);
    }

    private static byte[] Frames(params int[] lengths)
    {
        var body = new MemoryStream();
        for (var i = 0; i < lengths.Length; i++)
        {
            var prefix = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)lengths[i]);
            body.Write(prefix);
            body.Write(Enumerable.Range(0, lengths[i]).Select(b => (byte)(b + i)).ToArray());
        }
        return body.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(32 * 1024 + 5)]
    [InlineData(1 << 22)]
    public async Task Should_return_every_message_whole_whatever_the_read_sizes(int maxRead)
    {
        // Given messages of 0 B, 32 KiB (a snapshot chunk), 3 MiB (larger than the reader's 1 MiB buffer) and 32 B
        int[] lengths = [0, 32 * 1024, 3 << 20, 32, 32 * 1024];
        using var reader = new GrpcMessageReader(new TricklingStream(Frames(lengths), maxRead), 64 << 20);

        // When they are read one by one
        var seen = new List<(int Length, bool Intact)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } message)
            seen.Add((message.Length, message.Span.ToArray().Select((b, j) => b == (byte)(j + seen.Count)).All(x => x)));

        // Then each arrives whole, in order, and the stream ends cleanly
        seen.Should().Equal(lengths.Select(l => (l, true)));
    }

    [Theory]
    [InlineData(3, "stream ended inside a message prefix")]
    [InlineData(5 + 100, "stream ended inside a message")]
    public async Task Should_fail_on_a_stream_cut_inside_a_frame(int keep, string reason)
    {
        // Given a body cut short
        var frames = Frames(1000);
        using var reader = new GrpcMessageReader(new MemoryStream(frames[..keep]), 64 << 20);

        // When reading, then the cut is a protocol error, not a short message
        var act = async () => await reader.ReadAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<GrpcProtocolException>()).Which.Message.Should().Be(reason);
    }

    [Fact]
    public async Task Should_refuse_a_message_over_the_limit_and_a_compressed_one()
    {
        // Given a frame over the limit, and one with the compressed flag set
        var compressed = Frames(10);
        compressed[0] = 1;
        using var tooBig = new GrpcMessageReader(new MemoryStream(Frames(2000)), 1000);
        using var flagged = new GrpcMessageReader(new MemoryStream(compressed), 1000);

        // Then both are protocol errors that say why
        (await FluentActions.Awaiting(async () => await tooBig.ReadAsync(CancellationToken.None)).Should().ThrowAsync<GrpcProtocolException>())
            .Which.Message.Should().Contain("exceeds the 1000-byte limit");
        (await FluentActions.Awaiting(async () => await flagged.ReadAsync(CancellationToken.None)).Should().ThrowAsync<GrpcProtocolException>())
            .Which.Message.Should().Contain("compressed message");
    }
}
