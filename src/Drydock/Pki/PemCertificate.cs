using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Drydock.Pki;

/// <summary>A file that should hold a certificate but does not parse: the message names the file.</summary>
public sealed class PkiFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Loads the first CERTIFICATE block of a PEM text (a .crt, a kubelet .pem bundle, a kubeconfig's decoded data).</summary>
internal static class PemCertificate
{
    public static X509Certificate2 Load(string pem, string where)
    {
        var span = pem.AsSpan();
        while (PemEncoding.TryFind(span, out var fields))
        {
            if (span[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(span[fields.Base64Data], der, out _))
                    throw new PkiFormatException($"{where}: the CERTIFICATE block is not valid base64");
                try { return X509CertificateLoader.LoadCertificate(der); }
                catch (CryptographicException ex) { throw new PkiFormatException($"{where}: not a valid X.509 certificate ({ex.Message.TrimEnd('.')})", ex); }
            }
            span = span[fields.Location.End..];
        }
        // PemEncoding skips a block whose base64 or END line is damaged: say so rather than "no block".
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            throw new PkiFormatException($"{where}: the PEM CERTIFICATE block is damaged (not valid base64, or no END line)");
        throw new PkiFormatException($"{where}: no PEM CERTIFICATE block found (file corrupt or not a certificate)");
    }

    /// <summary>Loads a CA certificate together with its private key (PKCS#1, SEC1 or PKCS#8 PEM).</summary>
    public static X509Certificate2 LoadWithKey(string certPem, string keyPem, string certPath, string keyPath)
    {
        var cert = Load(certPem, certPath);
        try
        {
            if (cert.GetRSAPublicKey() is not null)
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(keyPem);
                return cert.CopyWithPrivateKey(rsa);
            }
            if (cert.GetECDsaPublicKey() is not null)
            {
                using var ec = ECDsa.Create();
                ec.ImportFromPem(keyPem);
                return cert.CopyWithPrivateKey(ec);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new PkiFormatException($"{keyPath}: not a usable private key for {certPath} ({ex.Message.TrimEnd('.')})", ex);
        }
        throw new PkiFormatException($"{certPath}: unsupported key algorithm {cert.PublicKey.Oid.FriendlyName ?? cert.PublicKey.Oid.Value} (RSA and ECDSA are supported)");
    }
}
