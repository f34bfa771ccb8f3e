namespace Drydock.Tests.Etcd.Support;

/// <summary>A kubeadm control-plane node's layout under a temp dir: manifests and etcd data dir, with kubeadm-shaped manifests.</summary>
internal sealed class FakeControlPlaneNode
{
    public required string Root { get; init; }
    public required string Name { get; init; }
    public required int ClientPort { get; init; }
    public required int PeerPort { get; init; }
    public required int ApiServerPort { get; init; }
    public string ManifestsDir => Path.Combine(Root, "etc/kubernetes/manifests");
    public string DataDir => Path.Combine(Root, "var/lib/etcd");
    public Uri ClientUrl => new($"http://127.0.0.1:{ClientPort}");
    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    public static FakeControlPlaneNode Create(string root, string name, string? initialCluster = null, string? initialClusterState = null, int[]? ports = null)
    {
        ports ??= FreePorts.Take(4);
        var node = new FakeControlPlaneNode { Root = root, Name = name, ClientPort = ports[0], PeerPort = ports[1], ApiServerPort = ports[2] };
        Directory.CreateDirectory(node.ManifestsDir);
        File.WriteAllText(Path.Combine(node.ManifestsDir, "etcd.yaml"), node.EtcdManifest(initialCluster ?? $"{name}={node.PeerUrl}", initialClusterState, ports[3]));
        File.WriteAllText(Path.Combine(node.ManifestsDir, "kube-apiserver.yaml"), node.ApiServerManifest());
        return node;
    }

    /// <summary>The shape kubeadm writes (flags sorted, etcd-data and etcd-certs volumes), with loopback URLs and temp paths.</summary>
    private string EtcdManifest(string initialCluster, string? state, int metricsPort) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          annotations:
            kubeadm.kubernetes.io/etcd.advertise-client-urls: {ClientUrl.ToString().TrimEnd('/')}
          creationTimestamp: null
          labels:
            component: etcd
            tier: control-plane
          name: etcd
          namespace: kube-system
        spec:
          containers:
          - command:
            - etcd
            - --advertise-client-urls={ClientUrl.ToString().TrimEnd('/')}
            - --data-dir={DataDir}
            - --initial-advertise-peer-urls={PeerUrl}
            - --initial-cluster={initialCluster}
        {(state is null ? "" : $"    - --initial-cluster-state={state}\n")}    - --listen-client-urls={ClientUrl.ToString().TrimEnd('/')}
            - --listen-metrics-urls=http://127.0.0.1:{metricsPort}
            - --listen-peer-urls={PeerUrl}
            - --logger=zap
            - --name={Name}
            - --snapshot-count=10000
            image: registry.k8s.io/etcd:3.5.9-0
            imagePullPolicy: IfNotPresent
            name: etcd
            resources:
              requests:
                cpu: 100m
                memory: 100Mi
            volumeMounts:
            - mountPath: {DataDir}
              name: etcd-data
            - mountPath: /etc/kubernetes/pki/etcd
              name: etcd-certs
          hostNetwork: true
          priorityClassName: system-node-critical
          volumes:
          - hostPath:
              path: /etc/kubernetes/pki/etcd
              type: DirectoryOrCreate
            name: etcd-certs
          - hostPath:
              path: {DataDir}
              type: DirectoryOrCreate
            name: etcd-data
        status: {"{}"}

        """;

    private string ApiServerManifest() => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-apiserver
          namespace: kube-system
        spec:
          containers:
          - command:
            - kube-apiserver
            - --etcd-servers={ClientUrl.ToString().TrimEnd('/')}
            - --secure-port={ApiServerPort}
            name: kube-apiserver

        """;
}
