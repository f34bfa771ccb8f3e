using System.Runtime.CompilerServices;
using Drydock.Etcd.Protocol;

namespace Drydock.Etcd;

/// <summary>
/// etcd v3 over gRPC on plain <see cref="HttpClient"/> HTTP/2 (Grpc.Net.Client is not available here): h2c with
/// prior knowledge for http://, TLS with ALPN h2, a private CA and a client certificate for https://.
/// Unary calls try the endpoints in order and move on only when one cannot be reached.
/// </summary>
public sealed partial class EtcdClient : IEtcdClient
{
    private const string StatusPath = "/etcdserverpb.Maintenance/Status";
    private const string SnapshotPath = "/etcdserverpb.Maintenance/Snapshot";
    private const string RangePath = "/etcdserverpb.KV/Range";
    private const string MemberListPath = "/etcdserverpb.Cluster/MemberList";

    private readonly EtcdOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly TlsTrust? _trust;

    public EtcdClient(EtcdOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _trust = options.Endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps) ? TlsTrust.Load(options) : null;
        _http = new HttpClient(CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IReadOnlyList<Uri> Endpoints => _options.Endpoints;

    public async Task<EtcdStatus> StatusAsync(Uri? endpoint = null, CancellationToken ct = default)
    {
        var (at, response) = endpoint is null
            ? await UnaryAnyAsync(StatusPath, new StatusRequest(), StatusResponse.Parser, ct)
            : (endpoint, await UnaryAsync(endpoint, StatusPath, new StatusRequest(), StatusResponse.Parser, ct));
        return new EtcdStatus
        {
            Endpoint = at,
            Version = response.Version,
            ClusterId = response.Header?.ClusterId ?? 0,
            MemberId = response.Header?.MemberId ?? 0,
            Revision = response.Header?.Revision ?? 0,
            RaftTerm = response.RaftTerm,
            RaftIndex = response.RaftIndex,
            RaftAppliedIndex = response.RaftAppliedIndex,
            Leader = response.Leader,
            DbSize = response.DbSize,
            DbSizeInUse = response.DbSizeInUse,
            IsLearner = response.IsLearner,
            Errors = [.. response.Errors],
        };
    }

    public async Task<long> CountAsync(byte[] key, byte[] rangeEnd, CancellationToken ct = default)
    {
        var request = new RangeRequest
        {
            Key = Google.Protobuf.ByteString.CopyFrom(key),
            RangeEnd = Google.Protobuf.ByteString.CopyFrom(rangeEnd),
            CountOnly = true,
        };
        var (_, response) = await UnaryAnyAsync(RangePath, request, RangeResponse.Parser, ct);
        return response.Count;
    }

    public async Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken ct = default)
    {
        var (_, response) = await UnaryAnyAsync(MemberListPath, new MemberListRequest(), MemberListResponse.Parser, ct);
        return [.. response.Members.Select(m => new EtcdMember
        {
            Id = m.ID,
            Name = m.Name,
            PeerUrls = [.. m.PeerURLs],
            ClientUrls = [.. m.ClientURLs],
            IsLearner = m.IsLearner,
        })];
    }

    public async IAsyncEnumerable<SnapshotChunk> SnapshotAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var endpoint = _options.Endpoints[0];
        await foreach (var raw in RawStreamAsync(endpoint, SnapshotPath, new SnapshotRequest(), ct))
        {
            (ReadOnlyMemory<byte> Blob, ulong RemainingBytes) message;
            try { message = Grpc.SnapshotMessageDecoder.Decode(raw); }
            catch (Grpc.GrpcProtocolException ex) { throw Fail(endpoint, $"sent an unreadable SnapshotResponse: {ex.Message}", ex); }
            yield return new SnapshotChunk(message.Blob, message.RemainingBytes);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
