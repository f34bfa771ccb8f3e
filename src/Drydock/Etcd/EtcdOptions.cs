namespace Drydock.Etcd;

/// <summary>
/// How to reach etcd. Resolve from flags and the environment with <see cref="EtcdOptionsResolver"/>, which applies
/// etcdctl's rules (flag over ETCDCTL_* over kubeadm default).
/// </summary>
public sealed record EtcdOptions
{
    /// <summary>Full URLs (http:// → h2c, https:// → TLS). Unary calls try them in order.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>PEM CA bundle that signed the server certificate (a private CA, trusted only for this client).</summary>
    public string? CaCertFile { get; init; }

    /// <summary>PEM client certificate and its PEM private key, for etcd's --client-cert-auth.</summary>
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }

    /// <summary>Time to open the TCP connection (and TLS handshake) to one endpoint.</summary>
    public TimeSpan DialTimeout { get; init; } = EtcdConstants.DefaultDialTimeout;

    /// <summary>Whole-call timeout for unary calls; for the snapshot stream, the longest silence between two messages.</summary>
    public TimeSpan CommandTimeout { get; init; } = EtcdConstants.DefaultCommandTimeout;
}
