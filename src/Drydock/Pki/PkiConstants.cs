namespace Drydock.Pki;

/// <summary>kubeadm's paths and defaults (cmd/kubeadm/app/constants/constants.go), and Drydock's thresholds.</summary>
public static class PkiConstants
{
    public const string DefaultPkiDir = "/etc/kubernetes/pki";
    public const string DefaultKubeconfigDir = "/etc/kubernetes";
    public const string DefaultManifestsDir = "/etc/kubernetes/manifests";
    public const string DefaultKubeletDir = "/var/lib/kubelet";

    /// <summary>Warn when a certificate has fewer days left than this.</summary>
    public const int DefaultWarnDays = 30;

    /// <summary>kubeadm's CertificateValidityPeriod (24h * 365).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    /// <summary>kubeadm's CertificateBackdate: NotBefore = now - 5 min, for clock skew between nodes.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>The kubelet's default fileCheckFrequency: how long it takes to notice a manifest moved away.</summary>
    public static readonly TimeSpan KubeletManifestSync = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan DefaultPodReadyTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan PodPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Go layout "Jan 02, 2006 15:04 MST" as a .NET format on a UTC time.</summary>
    public const string ExpiresFormat = "MMM dd, yyyy HH:mm 'UTC'";

    public const string OutputApiVersion = "output.kubeadm.k8s.io/v1alpha3";
    public const string OutputKind = "CertificateExpirationInfo";

    public const string RenewAllDoneMessage =
        "Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.";
}
