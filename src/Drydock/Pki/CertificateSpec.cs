namespace Drydock.Pki;

/// <summary>Where a certificate lives: a <c>&lt;base&gt;.crt/.key</c> pair under the PKI dir, or a kubeconfig's embedded client cert.</summary>
public enum CertificateSource { PkiFile, Kubeconfig }

/// <summary>
/// One renewable kubeadm certificate (renewal/manager.go). <see cref="Path"/> is the base name under the PKI dir
/// ("etcd/server") or the kubeconfig file name under the kubeconfig dir ("admin.conf").
/// </summary>
public sealed record CertificateSpec(
    string Name,
    string LongName,
    string Path,
    string CaName,
    CertificateSource Source,
    IReadOnlyList<string> StaticPods,
    bool OnlyIfPresent = false);

/// <summary>One of kubeadm's CAs: ca, etcd-ca, front-proxy-ca. <see cref="BaseName"/> is kubeadm's CABaseName ("etcd/ca").</summary>
public sealed record AuthoritySpec(string Name, string BaseName, string LongName);
