namespace Drydock.Pki;

/// <summary>Where a node keeps its PKI: kubeadm's certificatesDir, the kubeconfig dir and the kubelet's dir.</summary>
public sealed record PkiLayout
{
    public string PkiDir { get; init; } = PkiConstants.DefaultPkiDir;
    public string KubeconfigDir { get; init; } = PkiConstants.DefaultKubeconfigDir;
    public string KubeletDir { get; init; } = PkiConstants.DefaultKubeletDir;

    public string CertPath(CertificateSpec spec) =>
        spec.Source == CertificateSource.Kubeconfig ? Join(KubeconfigDir, spec.Path) : Join(PkiDir, spec.Path + ".crt");

    /// <summary>The private key file, or null for kubeconfig-embedded certificates (the key is in the same file).</summary>
    public string? KeyPath(CertificateSpec spec) =>
        spec.Source == CertificateSource.Kubeconfig ? null : Join(PkiDir, spec.Path + ".key");

    public string CaCertPath(AuthoritySpec ca) => Join(PkiDir, ca.BaseName + ".crt");
    public string CaKeyPath(AuthoritySpec ca) => Join(PkiDir, ca.BaseName + ".key");

    public string KubeletClientPath => Join(KubeletDir, "pki/kubelet-client-current.pem");
    public string KubeletServingPath => Join(KubeletDir, "pki/kubelet.crt");
    public string KubeletConfigPath => Join(KubeletDir, "config.yaml");

    // Always '/': the paths are on the (Linux) node, whatever machine Drydock runs on.
    private static string Join(string dir, string rel) => dir.TrimEnd('/') + "/" + rel;
}
