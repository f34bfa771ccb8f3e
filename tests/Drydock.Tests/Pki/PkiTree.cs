using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Drydock.Pki;

namespace Drydock.Testing.Pki;

/// <summary>
/// A kubeadm PKI tree generated on disk for a test: the three CAs, the seven leaf certificates with kubeadm's
/// subjects, SANs and EKUs, the kubeconfig files with embedded client certificates, and the kubelet's files, all
/// under a temp root laid out like a node (root/etc/kubernetes/pki …). Shared by Drydock.Tests and
/// Drydock.Cli.Tests (the Cli copy is a symlink to this file).
/// </summary>
internal sealed class PkiTree : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    // RSA key generation is the slow part of a test; leaves reuse a few keys (renewal always makes fresh ones).
    private static readonly Lazy<RSA[]> RsaPool = new(() => Enumerable.Range(0, 3).Select(_ => RSA.Create(2048)).ToArray());
    private static int _poolIndex;

    private readonly Dictionary<string, X509Certificate2> _cas = new();

    public string Root { get; }
    public PkiLayout Layout { get; }
    public DateTimeOffset Now { get; }

    private PkiTree(DateTimeOffset now)
    {
        Now = now;
        Root = Directory.CreateTempSubdirectory("drydock-pki-").FullName;
        Layout = new PkiLayout
        {
            PkiDir = Root + "/etc/kubernetes/pki",
            KubeconfigDir = Root + "/etc/kubernetes",
            KubeletDir = Root + "/var/lib/kubelet",
        };
        Directory.CreateDirectory(Layout.PkiDir + "/etcd");
        Directory.CreateDirectory(Layout.KubeletDir + "/pki");
    }

    /// <summary>A healthy kubeadm node: every certificate valid for a year, CAs for ten. <paramref name="ecLeaves"/>:
    /// P-256 leaf keys, so that renewing them all (which makes new keys of the same kind) stays fast.</summary>
    public static PkiTree Create(DateTimeOffset now, bool superAdmin = false, bool ecLeaves = false)
    {
        var tree = new PkiTree(now);
        foreach (var ca in KubeadmCertificates.Authorities) tree.WriteCa(ca.Name);
        foreach (var spec in KubeadmCertificates.Certificates)
            if (!spec.OnlyIfPresent || superAdmin) tree.WriteLeaf(spec.Name, ec: ecLeaves);
        tree.WriteKubelet(rotate: true);
        return tree;
    }

    public X509Certificate2 Ca(string name) => _cas[name];

    public string Path(string relative) => Root + relative;

    public void WriteCa(string name, DateTimeOffset? notAfter = null)
    {
        var spec = KubeadmCertificates.Authority(name);
        var key = NextRsa();
        var cn = name switch { "ca" => "kubernetes", "etcd-ca" => "etcd-ca", _ => "front-proxy-ca" };
        var req = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var cert = req.CreateSelfSigned(Now - TimeSpan.FromDays(400), notAfter ?? Now + TimeSpan.FromDays(3650));
        _cas[name] = cert;
        File.WriteAllText(Layout.CaCertPath(spec), cert.ExportCertificatePem() + "\n");
        File.WriteAllText(Layout.CaKeyPath(spec), key.ExportRSAPrivateKeyPem() + "\n");
    }

    /// <summary>(Re)writes a leaf with kubeadm's subject/SANs/EKU. <paramref name="signer"/> overrides its CA (wrong-CA cases).</summary>
    public void WriteLeaf(string name, DateTimeOffset? notAfter = null, X509Certificate2? signer = null, bool ec = false)
    {
        var spec = KubeadmCertificates.Find(name)!;
        var (subject, dns, ips, ekus) = Profile(name);
        AsymmetricAlgorithm key = ec ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : NextRsa();
        var req = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var oids = new OidCollection();
        foreach (var e in ekus) oids.Add(new Oid(e));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        if (dns.Length + ips.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var d in dns) san.AddDnsName(d);
            foreach (var ip in ips) san.AddIpAddress(IPAddress.Parse(ip));
            req.CertificateExtensions.Add(san.Build());
        }
        var issuer = signer ?? _cas[spec.CaName];
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var issuerKey = issuer.GetRSAPrivateKey()!;
        using var cert = req.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
            Now - TimeSpan.FromDays(30), notAfter ?? Now + TimeSpan.FromDays(365), serial);
        var certPem = cert.ExportCertificatePem() + "\n";
        var keyPem = (key is RSA r ? r.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem()) + "\n";
        if (spec.Source == CertificateSource.Kubeconfig)
            File.WriteAllText(Layout.CertPath(spec), Kubeconfig(_cas["ca"], Cn(subject), certPem, keyPem));
        else
        {
            File.WriteAllText(Layout.CertPath(spec), certPem);
            File.WriteAllText(Layout.KeyPath(spec)!, keyPem);
        }
    }

    /// <summary>A second CA with the same name "kubernetes" but another key: its leaves do not chain to the real ca.</summary>
    public static X509Certificate2 ImpostorCa(DateTimeOffset now)
    {
        var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        return req.CreateSelfSigned(now - TimeSpan.FromDays(400), now + TimeSpan.FromDays(3650));
    }

    public void WriteKubelet(bool? rotate)
    {
        var key = NextRsa();
        var req = new CertificateRequest("CN=system:node:cp-1, O=system:nodes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var client = req.Create(_cas["ca"], Now - TimeSpan.FromDays(30), Now + TimeSpan.FromDays(300), [0x11, 0x22]);
        File.WriteAllText(Layout.KubeletClientPath, client.ExportCertificatePem() + "\n" + key.ExportRSAPrivateKeyPem() + "\n");
        var selfReq = new CertificateRequest("CN=cp-1@1700000000", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var serving = selfReq.CreateSelfSigned(Now - TimeSpan.FromDays(30), Now + TimeSpan.FromDays(335));
        File.WriteAllText(Layout.KubeletServingPath, serving.ExportCertificatePem() + "\n");
        var config = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n"
            + (rotate is { } r ? $"rotateCertificates: {(r ? "true" : "false")}\n" : "");
        File.WriteAllText(Layout.KubeletConfigPath, config);
    }

    public static string Kubeconfig(X509Certificate2 ca, string user, string certPem, string keyPem) => $$"""
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: {{B64(ca.ExportCertificatePem() + "\n")}}
            server: https://192.168.1.10:6443
          name: kubernetes
        contexts:
        - context:
            cluster: kubernetes
            user: {{user}}
          name: {{user}}@kubernetes
        current-context: {{user}}@kubernetes
        kind: Config
        preferences: {}
        users:
        - name: {{user}}
          user:
            client-certificate-data: {{B64(certPem)}}
            client-key-data: {{B64(keyPem)}}

        """;

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string Cn(string subject) => subject.Split(',')[0]["CN=".Length..];

    internal static (string Subject, string[] Dns, string[] Ips, string[] Ekus) Profile(string name) => name switch
    {
        "apiserver" => ("CN=kube-apiserver", ["cp-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"], ["10.96.0.1", "192.168.1.11"], [ServerAuth]),
        "apiserver-kubelet-client" => ("CN=kube-apiserver-kubelet-client, O=kubeadm:cluster-admins", [], [], [ClientAuth]),
        "apiserver-etcd-client" => ("CN=kube-apiserver-etcd-client", [], [], [ClientAuth]),
        "front-proxy-client" => ("CN=front-proxy-client", [], [], [ClientAuth]),
        "etcd-server" or "etcd-peer" => ("CN=cp-1", ["cp-1", "localhost"], ["192.168.1.11", "127.0.0.1", "::1"], [ServerAuth, ClientAuth]),
        "etcd-healthcheck-client" => ("CN=kube-etcd-healthcheck-client", [], [], [ClientAuth]),
        "admin.conf" => ("CN=kubernetes-admin, O=kubeadm:cluster-admins", [], [], [ClientAuth]),
        "super-admin.conf" => ("CN=kubernetes-super-admin, O=system:masters", [], [], [ClientAuth]),
        "controller-manager.conf" => ("CN=system:kube-controller-manager", [], [], [ClientAuth]),
        "scheduler.conf" => ("CN=system:kube-scheduler", [], [], [ClientAuth]),
        _ => throw new ArgumentException(name),
    };

    private static RSA NextRsa()
    {
        var pool = RsaPool.Value;
        return pool[Interlocked.Increment(ref _poolIndex) % pool.Length];
    }

    public void Dispose()
    {
        foreach (var c in _cas.Values) c.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
