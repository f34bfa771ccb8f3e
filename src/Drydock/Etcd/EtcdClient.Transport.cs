using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Drydock.Common;
using Drydock.Etcd.Grpc;
using Google.Protobuf;

namespace Drydock.Etcd;

public sealed partial class EtcdClient
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    private SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            // Dial with the injected clock: the TCP connect is bounded by --dial-timeout.
            ConnectCallback = ConnectAsync,
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // A snapshot is one long stream: a window well above the 64 KiB default keeps etcd sending instead of waiting
            // for WINDOW_UPDATEs (64 KiB halves throughput even on loopback). 1 MiB measured as fast as 4 or 16 MiB on a
            // 2 GB snapshot, and it bounds what the HTTP/2 stack buffers (and allocates) when the file writes lag behind;
            // .NET's dynamic window sizing still grows it on links with a longer round trip.
            InitialHttp2StreamWindowSize = 1024 * 1024,
        };
        if (_trust is not null) handler.SslOptions = _trust.CreateSslOptions();
        return handler;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        using var dial = new CancellationTokenSource(_options.DialTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, dial.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, linked.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (dial.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DialTimeoutException(_options.DialTimeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Tries each endpoint in order; only "could not reach it" moves on to the next.</summary>
    private async Task<(Uri Endpoint, TResponse Response)> UnaryAnyAsync<TResponse>(string path, IMessage request, MessageParser<TResponse> parser, CancellationToken ct)
        where TResponse : IMessage<TResponse>
    {
        var failures = new List<EtcdError>();
        foreach (var endpoint in _options.Endpoints)
        {
            try { return (endpoint, await UnaryAsync(endpoint, path, request, parser, ct)); }
            catch (DrydockException ex) when (ex.Error is EtcdError { GrpcStatus: null } e && _options.Endpoints.Count > 1)
            {
                failures.Add(e);
            }
        }
        throw new DrydockException(new EtcdError("no etcd endpoint answered: " + string.Join("; ", failures.Select(f => f.Message))));
    }

    private async Task<TResponse> UnaryAsync<TResponse>(Uri endpoint, string path, IMessage request, MessageParser<TResponse> parser, CancellationToken ct)
        where TResponse : IMessage<TResponse>
    {
        TResponse? result = default;
        await foreach (var message in ServerStreamAsync(endpoint, path, request, parser, ct, wholeCallTimeout: true))
            result = message;
        return result ?? throw new DrydockException(new EtcdError($"etcd at {Show(endpoint)} ended {path} without a response", endpoint));
    }

    /// <summary>
    /// One gRPC call. For unary calls the command timeout bounds the whole call; for streams it bounds each wait
    /// for the next message, so a large snapshot may take as long as it needs while a stalled one still fails.
    /// </summary>
    private async IAsyncEnumerable<TResponse> ServerStreamAsync<TResponse>(
        Uri endpoint, string path, IMessage request, MessageParser<TResponse> parser,
        [EnumeratorCancellation] CancellationToken ct, bool wholeCallTimeout = false)
        where TResponse : IMessage<TResponse>
    {
        await foreach (var raw in RawStreamAsync(endpoint, path, request, ct, wholeCallTimeout))
        {
            TResponse parsed;
            try { parsed = parser.ParseFrom(raw.Span); }
            catch (InvalidProtocolBufferException ex) { throw Fail(endpoint, $"sent an unreadable {typeof(TResponse).Name}: {ex.Message}", ex); }
            yield return parsed;
        }
    }

    /// <summary>The call's messages as raw protobuf bytes in a reused buffer: each is valid until the next is requested.</summary>
    private async IAsyncEnumerable<ReadOnlyMemory<byte>> RawStreamAsync(
        Uri endpoint, string path, IMessage request, [EnumeratorCancellation] CancellationToken ct, bool wholeCallTimeout = false)
    {
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
        idle.CancelAfter(_options.CommandTimeout);

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            // Both are required on every message: HttpClient's defaults do not apply to SendAsync, and
            // RequestVersionOrLower falls back to HTTP/1.1 on http://, where etcd's gateway answers 404.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcFraming.Frame(request)),
        };
        message.Content.Headers.ContentType = GrpcContentType;
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        HttpResponseMessage response;
        try { response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token); }
        catch (Exception ex) when (ex is not DrydockException) { throw Classify(ex, endpoint, path, idle, ct); }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw Fail(endpoint, $"answered HTTP {(int)response.StatusCode} to {path} (not an etcd gRPC endpoint?)");
            // Trailers-only response: the call failed before any message, status is in the headers.
            ThrowOnGrpcStatus(endpoint, path, response.Headers);

            Stream body;
            try { body = await response.Content.ReadAsStreamAsync(linked.Token); }
            catch (Exception ex) when (ex is not DrydockException) { throw Classify(ex, endpoint, path, idle, ct); }

            using var reader = new GrpcMessageReader(body, EtcdConstants.MaxReceiveMessageBytes);
            while (true)
            {
                if (!wholeCallTimeout) idle.CancelAfter(_options.CommandTimeout);
                ReadOnlyMemory<byte>? next;
                try { next = await reader.ReadAsync(linked.Token); }
                catch (GrpcProtocolException ex) { throw Fail(endpoint, $"sent a malformed gRPC response to {path}: {ex.Message}", ex); }
                catch (Exception ex) when (ex is not DrydockException) { throw Classify(ex, endpoint, path, idle, ct); }
                if (next is not { } m) break;
                yield return m;
            }
            ThrowOnGrpcStatus(endpoint, path, response.TrailingHeaders);
            if (!HasGrpcStatus(response.TrailingHeaders) && !HasGrpcStatus(response.Headers))
                throw Fail(endpoint, $"ended {path} without a gRPC status (connection cut?)");
        }
    }

    private static bool HasGrpcStatus(HttpHeaders headers) => headers.Contains("grpc-status");

    private static void ThrowOnGrpcStatus(Uri endpoint, string path, HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var values)) return;
        var text = values.FirstOrDefault();
        if (!int.TryParse(text, out var code)) throw Fail(endpoint, $"sent an invalid grpc-status \"{text}\" for {path}");
        if (code == GrpcStatusCode.Ok) return;
        var detail = headers.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.FirstOrDefault() ?? "") : "";
        var message = $"etcd at {Show(endpoint)} refused {path}: {GrpcStatusCode.Name(code)}: {(detail.Length == 0 ? "no message" : detail)}";
        throw new DrydockException(new EtcdError(message, endpoint, code));
    }

    private static DrydockException Fail(Uri endpoint, string what, Exception? inner = null) =>
        new(new EtcdError(OneLine($"etcd at {Show(endpoint)} {what}"), endpoint), inner);

    private static string Show(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);
}

/// <summary>Thrown from the connect callback when --dial-timeout passes first.</summary>
internal sealed class DialTimeoutException(TimeSpan timeout) : Exception($"dial timed out after {timeout.TotalSeconds:0.###}s");
