using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Drydock.Pki;

/// <summary>A re-issued certificate and its new key, as kubeadm writes them (PEM; PKCS#1 RSA or SEC1 EC key).</summary>
public sealed record ReissuedCertificate(string CertificatePem, string KeyPem, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Serial);

/// <summary>
/// kubeadm's renewal (renewal/filerenewer.go + pkiutil): the old certificate is the source of truth for subject,
/// SANs, key usage and extended key usage; a new key of the same algorithm and size, a random serial,
/// NotBefore = now − 5 min, NotAfter = now + validity but never past the CA's own NotAfter, signed by the CA key.
/// </summary>
public static class CertificateReissuer
{
    private const string SanOid = "2.5.29.17";
    private const string KeyUsageOid = "2.5.29.15";
    private const string EkuOid = "2.5.29.37";

    public static ReissuedCertificate Reissue(X509Certificate2 old, X509Certificate2 caWithKey, DateTimeOffset now, TimeSpan validity)
    {
        if (!caWithKey.HasPrivateKey) throw new ArgumentException("the CA certificate must carry its private key", nameof(caWithKey));
        if (validity <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(validity), "validity must be positive");

        using var key = NewKeyLike(old);
        var caNotBefore = new DateTimeOffset(caWithKey.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var caNotAfter = new DateTimeOffset(caWithKey.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = Max(now - PkiConstants.Backdate, caNotBefore);
        var notAfter = Min(now + validity, caNotAfter);
        if (notAfter <= notBefore)
            throw new PkiFormatException($"the CA {caWithKey.Subject} expires {ResidualTime.FormatExpires(caNotAfter)}: it cannot sign a certificate valid from now; the CA must be replaced (kubeadm does not rotate CAs)");

        var request = new CertificateRequest(old.SubjectName, PublicKeyOf(key), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var oldKeyUsage = old.Extensions[KeyUsageOid];
        request.CertificateExtensions.Add(oldKeyUsage is not null
            ? new X509Extension(oldKeyUsage.Oid!, oldKeyUsage.RawData, oldKeyUsage.Critical)
            : new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        foreach (var oid in new[] { EkuOid, SanOid })
            if (old.Extensions[oid] is { } ext) request.CertificateExtensions.Add(new X509Extension(ext.Oid!, ext.RawData, ext.Critical));
        if (caWithKey.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));

        var serial = NewSerial();
        // A generator from the CA's own key: the leaf's algorithm may differ from the CA's (EC leaf, RSA CA).
        using var caRsa = caWithKey.GetRSAPrivateKey();
        using var caEc = caRsa is null ? caWithKey.GetECDsaPrivateKey() : null;
        var generator = caRsa is not null ? X509SignatureGenerator.CreateForRSA(caRsa, RSASignaturePadding.Pkcs1)
            : caEc is not null ? X509SignatureGenerator.CreateForECDsa(caEc)
            : throw new PkiFormatException($"the CA {caWithKey.Subject} key is neither RSA nor ECDSA");
        using var cert = request.Create(caWithKey.SubjectName, generator, notBefore, notAfter, serial);
        var keyPem = key switch
        {
            RSA rsa => rsa.ExportRSAPrivateKeyPem(),
            ECDsa ec => ec.ExportECPrivateKeyPem(),
            _ => throw new InvalidOperationException("unreachable: key is RSA or ECDSA"),
        };
        return new ReissuedCertificate(cert.ExportCertificatePem() + "\n", keyPem + "\n", notBefore, notAfter, cert.SerialNumber);
    }

    private static AsymmetricAlgorithm NewKeyLike(X509Certificate2 old)
    {
        using (var rsa = old.GetRSAPublicKey())
            if (rsa is not null) return RSA.Create(Math.Max(rsa.KeySize, 2048));
        using (var ec = old.GetECDsaPublicKey())
            if (ec is not null) return ECDsa.Create(ec.ExportParameters(false).Curve);
        throw new PkiFormatException($"{old.Subject}: unsupported key algorithm {old.PublicKey.Oid.FriendlyName ?? old.PublicKey.Oid.Value} (RSA and ECDSA are supported)");
    }

    private static PublicKey PublicKeyOf(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new PublicKey(rsa),
        ECDsa ec => new PublicKey(ec),
        _ => throw new InvalidOperationException("unreachable: key is RSA or ECDSA"),
    };

    /// <summary>Random, positive, non-zero, 128 bits (Go's pkiutil uses a random up-to-2^63 serial; larger is fine).</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
