namespace Drydock.Pki;

/// <summary>kubeadm's certificate list (certlist.go, renewal/manager.go), long names as kubeadm prints them.</summary>
public static class KubeadmCertificates
{
    public const string ApiServerPod = "kube-apiserver";
    public const string ControllerManagerPod = "kube-controller-manager";
    public const string SchedulerPod = "kube-scheduler";
    public const string EtcdPod = "etcd";

    /// <summary>Restart order: etcd first (the apiserver needs it), then the apiserver, then its clients.</summary>
    public static readonly IReadOnlyList<string> StaticPodOrder = [EtcdPod, ApiServerPod, ControllerManagerPod, SchedulerPod];

    public static readonly AuthoritySpec Ca = new("ca", "ca", "self-signed Kubernetes CA to provision identities for other Kubernetes components");
    public static readonly AuthoritySpec FrontProxyCa = new("front-proxy-ca", "front-proxy-ca", "self-signed CA to provision identities for front proxy");
    public static readonly AuthoritySpec EtcdCa = new("etcd-ca", "etcd/ca", "self-signed CA to provision identities for etcd");

    public static readonly IReadOnlyList<AuthoritySpec> Authorities = [Ca, EtcdCa, FrontProxyCa];

    public static readonly IReadOnlyList<CertificateSpec> Certificates =
    [
        new("admin.conf", "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself", "admin.conf", "ca", CertificateSource.Kubeconfig, []),
        new("apiserver", "certificate for serving the Kubernetes API", "apiserver", "ca", CertificateSource.PkiFile, [ApiServerPod]),
        new("apiserver-etcd-client", "certificate the apiserver uses to access etcd", "apiserver-etcd-client", "etcd-ca", CertificateSource.PkiFile, [ApiServerPod]),
        new("apiserver-kubelet-client", "certificate for the API server to connect to kubelet", "apiserver-kubelet-client", "ca", CertificateSource.PkiFile, [ApiServerPod]),
        new("controller-manager.conf", "certificate embedded in the kubeconfig file for the controller manager to use", "controller-manager.conf", "ca", CertificateSource.Kubeconfig, [ControllerManagerPod]),
        new("etcd-healthcheck-client", "certificate for liveness probes to healthcheck etcd", "etcd/healthcheck-client", "etcd-ca", CertificateSource.PkiFile, [EtcdPod]),
        new("etcd-peer", "certificate for etcd nodes to communicate with each other", "etcd/peer", "etcd-ca", CertificateSource.PkiFile, [EtcdPod]),
        new("etcd-server", "certificate for serving etcd", "etcd/server", "etcd-ca", CertificateSource.PkiFile, [EtcdPod]),
        new("front-proxy-client", "certificate for the front proxy client", "front-proxy-client", "front-proxy-ca", CertificateSource.PkiFile, [ApiServerPod]),
        new("scheduler.conf", "certificate embedded in the kubeconfig file for the scheduler manager to use", "scheduler.conf", "ca", CertificateSource.Kubeconfig, [SchedulerPod]),
        // 1.29+: only listed when the file exists, as kubeadm of that version creates it.
        new("super-admin.conf", "certificate embedded in the kubeconfig file for the super-admin", "super-admin.conf", "ca", CertificateSource.Kubeconfig, [], OnlyIfPresent: true),
    ];

    public static AuthoritySpec Authority(string name) => Authorities.First(a => a.Name == name);

    public static CertificateSpec? Find(string name) => Certificates.FirstOrDefault(c => c.Name == name);
}
