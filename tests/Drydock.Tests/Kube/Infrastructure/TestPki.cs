using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Drydock.Tests.Kube.Infrastructure;

/// <summary>
/// A throwaway PKI made in-process: a CA, a server certificate for 127.0.0.1/localhost, and client certificates
/// (RSA and EC) — all as PEM text, the way kubeadm writes them, plus the server certificate for Kestrel.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestPki()
    {
        var caReq = new CertificateRequest("CN=drydock-test-ca", _caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        CaPem = _ca.ExportCertificatePem();

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverReq = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes.default.svc");
        serverReq.CertificateExtensions.Add(san.Build());
        serverReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverReq.Create(_ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        ServerCertificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        (ClientCertPem, ClientKeyPem) = Issue("kubernetes-admin", RSA.Create(2048), now);
        (EcClientCertPem, EcClientKeyPem) = Issue("ec-admin", ECDsa.Create(ECCurve.NamedCurves.nistP256), now);
    }

    public string CaPem { get; }
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>RSA client certificate (CN=kubernetes-admin) and its PKCS#1 "RSA PRIVATE KEY", as kubeadm writes them.</summary>
    public string ClientCertPem { get; }
    public string ClientKeyPem { get; }

    /// <summary>EC client certificate (CN=ec-admin) and its SEC1 "EC PRIVATE KEY".</summary>
    public string EcClientCertPem { get; }
    public string EcClientKeyPem { get; }

    public bool IsSignedByCa(X509Certificate2 cert)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }

    private (string Cert, string Key) Issue(string cn, AsymmetricAlgorithm key, DateTimeOffset now)
    {
        using (key)
        {
            var req = key switch
            {
                RSA rsa => new CertificateRequest($"CN={cn}, O=system:masters", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ec => new CertificateRequest($"CN={cn}, O=system:masters", ec, HashAlgorithmName.SHA256),
                _ => throw new ArgumentException("unsupported key"),
            };
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            // Signed by the EC CA whatever the client key type: hence the explicit signature generator.
            using var cert = req.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
            var keyPem = key switch
            {
                RSA rsa => rsa.ExportRSAPrivateKeyPem(),
                ECDsa ec => ec.ExportECPrivateKeyPem(),
                _ => "",
            };
            return (cert.ExportCertificatePem(), keyPem);
        }
    }

    public void Dispose() { _ca.Dispose(); _caKey.Dispose(); ServerCertificate.Dispose(); }
}
