using System.Net.Sockets;
using System.Security.Authentication;
using Drydock.Common;

namespace Drydock.Etcd;

public sealed partial class EtcdClient
{
    /// <summary>Turns a transport exception into one line that says what went wrong and which flag fixes it.</summary>
    private DrydockException Classify(Exception ex, Uri endpoint, string path, CancellationTokenSource idle, CancellationToken caller)
    {
        if (ex is OperationCanceledException && caller.IsCancellationRequested) return new DrydockException(new EtcdError("interrupted"), ex);
        if (ex is OperationCanceledException && idle.IsCancellationRequested)
            return Fail(endpoint, $"did not answer {path} within {_options.CommandTimeout.TotalSeconds:0.###}s (--command-timeout)", ex);

        var chain = Flatten(ex).ToList();
        if (chain.OfType<DialTimeoutException>().FirstOrDefault() is { } dial)
            return Fail(endpoint, $"is unreachable: {dial.Message} (--dial-timeout; check --endpoints)", ex);
        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            var reason = socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (is etcd running? check --endpoints)",
                SocketError.HostNotFound or SocketError.NoData => "host not found (check --endpoints)",
                SocketError.ConnectionReset => ClientCertHint("connection reset by the server"),
                _ => $"{socket.Message} (check --endpoints)",
            };
            return Fail(endpoint, $"is unreachable: {reason}", ex);
        }
        if (_trust?.LastRejection is { } rejection && chain.Any(e => e is AuthenticationException))
            return Fail(endpoint, $"failed the TLS handshake: {rejection}", ex);
        if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } auth)
            return Fail(endpoint, $"failed the TLS handshake: {ClientCertHint(auth.InnerException?.Message ?? auth.Message)}", ex);
        if (chain.Any(e => e is IOException or HttpIOException or HttpRequestException or ObjectDisposedException))
            return _trust is not null && _trust.ClientCertificate is null
                ? Fail(endpoint, "closed the connection after the TLS handshake: it requires a client certificate: pass --cert and --key", ex)
                : Fail(endpoint, $"closed the connection: {OneLine(chain[^1].Message)}", ex);
        return Fail(endpoint, $"call {path} failed: {ex.Message}", ex);
    }

    /// <summary>A TLS server that requires a client certificate just drops the connection; say so when we sent none.</summary>
    private string ClientCertHint(string what) =>
        _trust is not null && _trust.ClientCertificate is null
            ? $"{what}; the server likely requires a client certificate: pass --cert and --key"
            : what;

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<Exception> Flatten(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException) yield return e;
    }
}
