using System.Buffers.Binary;
using Drydock.Common;
using Drydock.Etcd;
using Drydock.Etcd.Snapshot;
using Drydock.Etcd.Snapshot.Bbolt;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class SnapshotStatusTests(EtcdFixture etcd) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<byte[]> SnapshotBytesAsync()
    {
        var path = _dir["good.db"];
        if (!File.Exists(path))
        {
            await using var client = new EtcdClient(etcd.PlainOptions, TimeProvider.System);
            await new SnapshotSaver(client, TimeProvider.System).SaveAsync(path);
        }
        return await File.ReadAllBytesAsync(path);
    }

    private async Task<DrydockError> StatusErrorAsync(byte[] content)
    {
        var path = _dir[$"bad-{Guid.NewGuid():N}.db"];
        await File.WriteAllBytesAsync(path, content);
        var act = () => SnapshotStatusReader.ReadAsync(path).WaitAsync(TimeSpan.FromSeconds(10));
        var error = (await act.Should().ThrowAsync<DrydockException>()).Which.Error;
        error.Message.Should().NotContain("\n");
        return error;
    }

    [Fact]
    public async Task Should_report_a_truncated_file_clearly()
    {
        // Given a snapshot cut in half
        var bytes = await SnapshotBytesAsync();

        // When reading its status
        var error = await StatusErrorAsync(bytes[..(bytes.Length / 2)]);

        // Then the error says it is truncated and how many bytes are missing
        error.Should().BeOfType<SnapshotFileError>().Which.Message.Should().Contain("file is truncated: the database needs");
    }

    [Theory]
    [InlineData(0, "file too short")]
    [InlineData(100, "file too short")]
    [InlineData(8192, "not a bbolt database")]
    public async Task Should_reject_files_that_are_not_bbolt(int length, string expected)
    {
        // Given a file of zeros
        // When reading its status
        var error = await StatusErrorAsync(new byte[length]);

        // Then the reason names what is wrong
        error.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Should_report_a_hash_mismatch_for_a_flipped_byte()
    {
        // Given a snapshot with one byte flipped inside a key's value (the bbolt structure stays valid)
        var bytes = await SnapshotBytesAsync();
        var at = bytes.AsSpan().IndexOf("value-13"u8);
        at.Should().BePositive();
        bytes[at + 6] ^= 0x01;
        var path = _dir["flipped.db"];
        await File.WriteAllBytesAsync(path, bytes);

        // When reading its status and checking its hash
        var status = await SnapshotStatusReader.ReadAsync(path);

        // Then the trailing sha256 no longer matches
        status.Integrity.Should().Be(SnapshotIntegrity.HashMismatch);
        (await SnapshotHash.VerifyAsync(path)).Should().Be(SnapshotIntegrity.HashMismatch);
    }

    [Fact]
    public async Task Should_never_crash_or_hang_on_any_single_corrupted_byte()
    {
        // Given the good snapshot with one byte replaced, at many positions across every page
        var good = await SnapshotBytesAsync();
        var path = _dir["fuzz.db"];
        for (var at = 0; at < good.Length - 32; at += 61)
        {
            var bytes = (byte[])good.Clone();
            bytes[at] ^= 0xA5;
            await File.WriteAllBytesAsync(path, bytes);

            // When reading its status
            try { await SnapshotStatusReader.ReadAsync(path).WaitAsync(TimeSpan.FromSeconds(5)); }
            // Then it either reads or fails with a typed, one-line error — nothing else
            catch (DrydockException ex) { ex.Error.Message.Should().NotContain("\n", $"byte {at}"); }
        }
    }

    [Fact]
    public async Task Should_detect_a_branch_page_that_points_to_itself()
    {
        // Given a hand-made bbolt file whose root branch page lists itself as its child
        const int pageSize = 4096;
        var file = new byte[pageSize * 4];
        WriteMeta(file, 0, pageSize, root: 3, freelist: 2, highWater: 4, txid: 1);
        WriteMeta(file, 1, pageSize, root: 3, freelist: 2, highWater: 4, txid: 2);
        WritePageHeader(file, 2, pageSize, flags: 0x10, count: 0);
        WritePageHeader(file, 3, pageSize, flags: 0x01, count: 1);
        var e = 3 * pageSize + 16;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(e), 16);      // pos: key right after the element
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(e + 4), 1);   // ksize
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(e + 8), 3);   // child: itself
        file[e + 16] = (byte)'a';

        // When reading its status
        var error = await StatusErrorAsync(file);

        // Then the cycle is named instead of looping
        error.Message.Should().Contain("page 3 is referenced twice");
    }

    [Fact]
    public void Should_compute_crc32c_like_go()
    {
        // Given the CRC-32C check value from the Castagnoli paper / Go's tests
        // When hashing "123456789" in two pieces
        var crc = new Crc32C();
        crc.Append("1234"u8);
        crc.Append("56789"u8);

        // Then it matches 0xE3069283
        crc.Value.Should().Be(0xE3069283u);
        Crc32C.Compute("The quick brown fox jumps over the lazy dog"u8).Should().Be(0x22620404u);
    }

    private static void WriteMeta(byte[] file, int page, int pageSize, ulong root, ulong freelist, ulong highWater, ulong txid)
    {
        WritePageHeader(file, page, pageSize, flags: 0x04, count: 0);
        var m = file.AsSpan(page * pageSize + 16, 64);
        BinaryPrimitives.WriteUInt32LittleEndian(m, 0xED0CDAED);
        BinaryPrimitives.WriteUInt32LittleEndian(m[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], (uint)pageSize);
        BinaryPrimitives.WriteUInt64LittleEndian(m[16..], root);
        BinaryPrimitives.WriteUInt64LittleEndian(m[32..], freelist);
        BinaryPrimitives.WriteUInt64LittleEndian(m[40..], highWater);
        BinaryPrimitives.WriteUInt64LittleEndian(m[48..], txid);
        var hash = 14695981039346656037UL;
        foreach (var b in m[..56]) { hash ^= b; hash *= 1099511628211UL; }
        BinaryPrimitives.WriteUInt64LittleEndian(m[56..], hash);
    }

    private static void WritePageHeader(byte[] file, int page, int pageSize, ushort flags, ushort count)
    {
        var h = file.AsSpan(page * pageSize, 16);
        BinaryPrimitives.WriteUInt64LittleEndian(h, (ulong)page);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], count);
    }
}
