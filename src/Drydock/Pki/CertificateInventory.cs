using System.Security.Cryptography.X509Certificates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Drydock.Pki;

/// <summary>
/// The kubeadm certificate set of one node, parsed and chain-verified from a <see cref="PkiSnapshot"/>. Pure: no
/// clock (expiry is judged by <see cref="ExpirationReport"/>), no I/O.
/// </summary>
public sealed record CertificateInventory
{
    public required string Location { get; init; }
    public required PkiLayout Layout { get; init; }
    /// <summary>Leaf certificates, sorted by name as kubeadm prints them.</summary>
    public required IReadOnlyList<CertificateEntry> Certificates { get; init; }
    public required IReadOnlyList<CertificateEntry> Authorities { get; init; }
    public required KubeletInventory Kubelet { get; init; }

    public static CertificateInventory Build(PkiSnapshot snapshot)
    {
        var layout = snapshot.Layout;
        var cas = new Dictionary<string, (CertificateEntry Entry, X509Certificate2? Cert)>();
        foreach (var ca in KubeadmCertificates.Authorities)
        {
            var path = layout.CaCertPath(ca);
            var (entry, cert) = Parse(ca.Name, path, snapshot.Text(path), pem => pem);
            cas[ca.Name] = (entry with
            {
                IsAuthority = true,
                ExternallyManaged = entry.State == EntryState.Present && !snapshot.FileExists(layout.CaKeyPath(ca)),
            }, cert);
        }

        var leaves = new List<CertificateEntry>();
        foreach (var spec in KubeadmCertificates.Certificates)
        {
            var path = layout.CertPath(spec);
            var text = snapshot.Text(path);
            if (text is null && spec.OnlyIfPresent) continue;
            var (entry, cert) = spec.Source == CertificateSource.Kubeconfig
                ? Parse(spec.Name, path, text, yaml => KubeconfigFile.Read(yaml, path).CertificatePem)
                : Parse(spec.Name, path, text, pem => pem);
            leaves.Add(Verified(entry with { CaName = spec.CaName, ExternallyManaged = cas[spec.CaName].Entry.ExternallyManaged }, cert, cas[spec.CaName]));
            cert?.Dispose();
        }

        var kubelet = new List<CertificateEntry>();
        var (client, clientCert) = Parse("kubelet-client-current.pem", layout.KubeletClientPath, snapshot.Text(layout.KubeletClientPath), pem => pem);
        kubelet.Add(Verified(client with { CaName = "ca" }, clientCert, cas["ca"]));
        // kubelet.crt is self-signed by the kubelet (unless serverTLSBootstrap): nothing to chain it to.
        var (serving, servingCert) = Parse("kubelet.crt", layout.KubeletServingPath, snapshot.Text(layout.KubeletServingPath), pem => pem);
        kubelet.Add(serving);
        clientCert?.Dispose();
        servingCert?.Dispose();
        var (rotate, configError) = ReadRotation(snapshot.Text(layout.KubeletConfigPath), layout.KubeletConfigPath);
        foreach (var (_, cert) in cas.Values) cert?.Dispose();

        return new CertificateInventory
        {
            Location = snapshot.Location,
            Layout = layout,
            Certificates = leaves.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
            Authorities = cas.Values.Select(v => v.Entry).OrderBy(e => e.Name, StringComparer.Ordinal).ToList(),
            Kubelet = new KubeletInventory { Certificates = kubelet, RotateCertificates = rotate, ConfigError = configError },
        };
    }

    private static (CertificateEntry, X509Certificate2?) Parse(string name, string path, string? text, Func<string, string> pemOf)
    {
        if (text is null) return (new CertificateEntry { Name = name, Path = path, State = EntryState.Missing }, null);
        try
        {
            var cert = PemCertificate.Load(pemOf(text), path);
            return (Describe(name, path, cert), cert);
        }
        catch (PkiFormatException ex)
        {
            return (new CertificateEntry { Name = name, Path = path, State = EntryState.Invalid, Error = ex.Message }, null);
        }
    }

    internal static CertificateEntry Describe(string name, string path, X509Certificate2 cert)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return new CertificateEntry
        {
            Name = name,
            Path = path,
            State = EntryState.Present,
            Subject = cert.Subject,
            Serial = cert.SerialNumber,
            NotBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            DnsNames = san?.EnumerateDnsNames().ToList() ?? [],
            IpAddresses = san?.EnumerateIPAddresses().Select(ip => ip.ToString()).ToList() ?? [],
        };
    }

    private static CertificateEntry Verified(CertificateEntry entry, X509Certificate2? cert, (CertificateEntry Entry, X509Certificate2? Cert) ca)
    {
        if (cert is null) return entry;
        if (ca.Cert is null)
            return entry with { ChainError = $"cannot verify against {ca.Entry.Name}: {ca.Entry.Path} is {(ca.Entry.State == EntryState.Missing ? "missing" : "unreadable")}" };
        return entry with { ChainError = ChainVerifier.Verify(cert, ca.Cert, ca.Entry.Name) };
    }

    private static (bool?, string?) ReadRotation(string? yaml, string path)
    {
        if (yaml is null) return (null, null);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return (false, null);
            // KubeletConfiguration's default is false; kubeadm writes rotateCertificates: true.
            return root.Children.TryGetValue(new YamlScalarNode("rotateCertificates"), out var v) && v is YamlScalarNode s
                ? (string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase), null)
                : (false, null);
        }
        catch (YamlException ex) { return (null, $"{path}: not valid YAML ({ex.Message})"); }
    }
}
