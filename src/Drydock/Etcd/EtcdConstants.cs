namespace Drydock.Etcd;

/// <summary>Defaults taken from what kubeadm lays out on a control-plane node, and etcdctl's own defaults.</summary>
public static class EtcdConstants
{
    /// <summary>kubeadm's local etcd listens here (stacked topology).</summary>
    public const string DefaultEndpoint = "https://127.0.0.1:2379";

    public const string KubeadmPkiDir = "/etc/kubernetes/pki";
    public const string DefaultCaCert = KubeadmPkiDir + "/etcd/ca.crt";
    public const string DefaultCert = KubeadmPkiDir + "/etcd/healthcheck-client.crt";
    public const string DefaultKey = KubeadmPkiDir + "/etcd/healthcheck-client.key";
    /// <summary>Used when the healthcheck-client pair is absent (some clusters delete it; the apiserver's works too).</summary>
    public const string FallbackCert = KubeadmPkiDir + "/apiserver-etcd-client.crt";
    public const string FallbackKey = KubeadmPkiDir + "/apiserver-etcd-client.key";

    /// <summary>etcdctl: --dial-timeout=2s, --command-timeout=5s.</summary>
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Environment variables etcdctl reads (ETCDCTL_ + the flag name, upper case, '-' → '_').</summary>
    public const string EnvEndpoints = "ETCDCTL_ENDPOINTS";
    public const string EnvCaCert = "ETCDCTL_CACERT";
    public const string EnvCert = "ETCDCTL_CERT";
    public const string EnvKey = "ETCDCTL_KEY";
    public const string EnvDialTimeout = "ETCDCTL_DIAL_TIMEOUT";
    public const string EnvCommandTimeout = "ETCDCTL_COMMAND_TIMEOUT";

    /// <summary>etcdctl's wording, kept so operators recognise it.</summary>
    public const string SnapshotOneEndpointMessage = "snapshot must be requested to one selected node, not multiple";

    /// <summary>gRPC caps a received message at 4 MiB by default; etcd's own client allows up to 2 GiB. Snapshot chunks are 32 KiB.</summary>
    public const int MaxReceiveMessageBytes = 64 * 1024 * 1024;

    /// <summary>Sha256 appended by the server after the database bytes.</summary>
    public const int SnapshotHashLength = 32;

    /// <summary>kubeadm's static pod manifests.</summary>
    public const string ManifestsDir = "/etc/kubernetes/manifests";
    public const string EtcdManifestFile = "etcd.yaml";
    public const string ApiServerManifestFile = "kube-apiserver.yaml";
}
