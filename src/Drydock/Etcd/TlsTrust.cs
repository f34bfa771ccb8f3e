using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Drydock.Common;

namespace Drydock.Etcd;

/// <summary>
/// The TLS material for https endpoints: the private CA (trusted for this client only, never the system store)
/// and the client certificate. Records why the last server certificate was refused, for a clear error line.
/// </summary>
internal sealed class TlsTrust
{
    private readonly X509Certificate2Collection _roots;
    private readonly string? _caFile;

    private TlsTrust(X509Certificate2Collection roots, string? caFile, X509Certificate2? clientCertificate)
    {
        _roots = roots;
        _caFile = caFile;
        ClientCertificate = clientCertificate;
    }

    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Why the most recent handshake's server certificate was rejected, if it was.</summary>
    public string? LastRejection { get; private set; }

    public static TlsTrust Load(EtcdOptions options)
    {
        var roots = new X509Certificate2Collection();
        if (options.CaCertFile is not null)
        {
            try { roots.ImportFromPemFile(options.CaCertFile); }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new DrydockException(new UsageError($"cannot read CA certificate {options.CaCertFile}: {ex.Message}"), ex);
            }
            if (roots.Count == 0) throw new DrydockException(new UsageError($"--cacert {options.CaCertFile} holds no PEM certificate"));
        }
        X509Certificate2? client = null;
        if (options.CertFile is not null && options.KeyFile is not null)
        {
            try
            {
                using var ephemeral = X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile);
                // Re-import as PKCS#12 so SslStream can use the private key on every platform.
                client = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new DrydockException(new UsageError($"cannot load client certificate {options.CertFile} with key {options.KeyFile}: {ex.Message}"), ex);
            }
        }
        return new TlsTrust(roots, options.CaCertFile, client);
    }

    public SslClientAuthenticationOptions CreateSslOptions() => new()
    {
        ApplicationProtocols = [SslApplicationProtocol.Http2],
        ClientCertificates = ClientCertificate is null ? null : [ClientCertificate],
        LocalCertificateSelectionCallback = ClientCertificate is null ? null : (_, _, _, _, _) => ClientCertificate,
        RemoteCertificateValidationCallback = Validate,
    };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? _, SslPolicyErrors errors)
    {
        LastRejection = null;
        if (certificate is null) { LastRejection = "the server sent no certificate"; return false; }
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            LastRejection = "the server certificate does not name this host (check the endpoint's host against the certificate's SANs)";
            return false;
        }
        if (_roots.Count == 0)
        {
            if (errors == SslPolicyErrors.None) return true;
            LastRejection = "the server certificate is not trusted by the system store; pass --cacert";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        if (chain.Build(server)) return true;
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        LastRejection = $"the server certificate is not signed by the CA in --cacert {_caFile} ({status})";
        return false;
    }
}
