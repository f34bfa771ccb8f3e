using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Drydock.Kube.Config;

/// <summary>How to trust the server and which client certificate to present.</summary>
public sealed record KubeTlsSettings
{
    /// <summary>Roots to trust instead of the system's (certificate-authority[-data]); null = system roots.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    /// <summary>tls-server-name: the name the server certificate must carry instead of the URL's host.</summary>
    public string? ServerName { get; init; }
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>A handler that applies these settings (the client disposes it).</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = Client.KubeClientConstants.CreateHandler();
        if (ClientCertificate is not null) handler.SslOptions.ClientCertificates = new X509CertificateCollection { ClientCertificate };
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        return handler;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (InsecureSkipTlsVerify) return true;
        if (certificate is null) return false;
        using var cert = new X509Certificate2(certificate);
        var nameOk = ServerName is { Length: > 0 } name
            ? cert.MatchesHostname(name)
            : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        if (!nameOk) return false;
        if (CaCertificates is null) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(CaCertificates);
        if (chain is not null)
            foreach (var element in chain.ChainElements.Skip(1)) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(cert);
    }
}
