using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Drydock.Tests.Etcd.Support;

/// <summary>A throwaway PKI like kubeadm's etcd one: a CA, a server cert for 127.0.0.1, a client cert; plus an unrelated CA.</summary>
internal sealed class TestPki
{
    public required string Dir { get; init; }
    public string CaCert => Path.Combine(Dir, "ca.crt");
    public string ServerCert => Path.Combine(Dir, "server.crt");
    public string ServerKey => Path.Combine(Dir, "server.key");
    public string ClientCert => Path.Combine(Dir, "client.crt");
    public string ClientKey => Path.Combine(Dir, "client.key");
    /// <summary>A CA that signed nothing here: trusting it must fail the handshake.</summary>
    public string OtherCaCert => Path.Combine(Dir, "other-ca.crt");

    public static TestPki Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var pki = new TestPki { Dir = dir };
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        using var ca = SelfSignedCa("etcd-ca", caKey, now);
        File.WriteAllText(pki.CaCert, ca.ExportCertificatePem());
        using var otherKey = RSA.Create(2048);
        using var other = SelfSignedCa("other-ca", otherKey, now);
        File.WriteAllText(pki.OtherCaCert, other.ExportCertificatePem());

        Issue(ca, "127.0.0.1", server: true, now, pki.ServerCert, pki.ServerKey);
        Issue(ca, "kube-etcd-healthcheck-client", server: false, now, pki.ClientCert, pki.ClientKey);
        return pki;
    }

    private static X509Certificate2 SelfSignedCa(string cn, RSA key, DateTimeOffset now)
    {
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    private static void Issue(X509Certificate2 ca, string cn, bool server, DateTimeOffset now, string certPath, string keyPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (server)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var cert = request.Create(ca, now.AddMinutes(-5), now.AddMonths(6), serial);
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
