using Drydock.Etcd.Grpc;
using Drydock.Etcd.Protocol;
using Google.Protobuf;

namespace Drydock.Tests.Etcd;

public sealed class SnapshotMessageDecoderTests
{
    public static TheoryData<string, byte[]> Messages => new()
    {
        { "empty", new SnapshotResponse().ToByteArray() },
        { "3.4 data chunk", new SnapshotResponse { RemainingBytes = 167936, Blob = ByteString.CopyFrom(Enumerable.Range(0, 32768).Select(i => (byte)i).ToArray()) }.ToByteArray() },
        { "sha message", new SnapshotResponse { Blob = ByteString.CopyFrom(new byte[32]) }.ToByteArray() },
        { "3.6 with header and version", new SnapshotResponse
            {
                Header = new ResponseHeader { ClusterId = ulong.MaxValue, MemberId = 7, Revision = 46, RaftTerm = 2 },
                RemainingBytes = ulong.MaxValue, Blob = ByteString.CopyFromUtf8("bbolt"), Version = "3.6.0",
            }.ToByteArray() },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Should_decode_what_the_generated_parser_decodes(string name, byte[] bytes)
    {
        // Given a SnapshotResponse encoded by the generated code

        // When the zero-copy decoder reads it
        var (blob, remaining) = SnapshotMessageDecoder.Decode(bytes);

        // Then blob and remaining_bytes equal the generated parser's
        var parsed = SnapshotResponse.Parser.ParseFrom(bytes);
        blob.ToArray().Should().Equal(parsed.Blob.ToByteArray(), name);
        remaining.Should().Be(parsed.RemainingBytes);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A, 0x05, 0x01 })]          // blob claims 5 bytes, 1 present
    [InlineData(new byte[] { 0x10, 0xFF })]                // varint cut off
    [InlineData(new byte[] { 0x1B })]                      // wire type 3 (groups) is not proto3
    public void Should_reject_malformed_messages(byte[] bytes)
    {
        // Given a malformed message
        // When decoding
        var act = () => SnapshotMessageDecoder.Decode(bytes);

        // Then it is a protocol error, not an index exception
        act.Should().Throw<GrpcProtocolException>();
    }
}
