namespace Drydock.Pki;

public enum EntryState { Present, Missing, Invalid }

/// <summary>One row of the inventory: a leaf certificate, a CA, or a kubelet certificate, as found on the node.</summary>
public sealed record CertificateEntry
{
    public required string Name { get; init; }
    /// <summary>The file it was read from (a .crt, a kubeconfig, a kubelet .pem).</summary>
    public required string Path { get; init; }
    public required EntryState State { get; init; }
    /// <summary>For leaves: the CA it must chain to ("ca", "etcd-ca", "front-proxy-ca"); null for CAs and self-signed kubelet serving certs.</summary>
    public string? CaName { get; init; }
    public bool IsAuthority { get; init; }
    /// <summary>kubeadm's EXTERNALLY MANAGED: the (issuing) CA's .crt is there but its .key is not.</summary>
    public bool ExternallyManaged { get; init; }
    /// <summary>Why the file could not be used (corrupt PEM, bad kubeconfig), naming the file.</summary>
    public string? Error { get; init; }
    /// <summary>Why the certificate does not verify against its CA; null when it does (or was not checked).</summary>
    public string? ChainError { get; init; }
    public string? Subject { get; init; }
    public string? Serial { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? NotAfter { get; init; }
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
}

/// <summary>The kubelet's own certificates and whether it rotates its client certificate.</summary>
public sealed record KubeletInventory
{
    public required IReadOnlyList<CertificateEntry> Certificates { get; init; }
    /// <summary><c>rotateCertificates</c> from the kubelet config; null when the config file is missing or unreadable.</summary>
    public bool? RotateCertificates { get; init; }
    public string? ConfigError { get; init; }
}
