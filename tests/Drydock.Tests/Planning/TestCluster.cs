using System.Text.Json;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Planning.Inventory;

namespace Drydock.Tests.Planning;

/// <summary>
/// Builds small kubeadm clusters as API objects (the shapes kubectl prints), for planning tests and golden files:
/// control planes get their four static pods, every node a kube-proxy pod, plus kubeadm-config and CoreDNS.
/// </summary>
internal sealed class TestCluster
{
    private readonly List<Node> nodes = [];
    private readonly List<Pod> pods = [];
    private readonly List<PodDisruptionBudget> pdbs = [];
    private readonly List<Deployment> deployments = [];
    private readonly List<ReplicaSet> replicaSets = [];
    private readonly List<DaemonSet> daemonSets = [];
    private readonly List<ConfigMap> configMaps = [];
    private readonly List<ObjectApiVersion> extraApis = [];
    private readonly string version;

    public TestCluster(string version = "v1.27.16")
    {
        this.version = version;
        configMaps.Add(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "kubeadm-config", Namespace = "kube-system" },
            Data = new Dictionary<string, string> { ["ClusterConfiguration"] = $"apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: {version}\n" },
        });
        daemonSets.Add(new DaemonSet
        {
            Metadata = new ObjectMeta { Name = "kube-proxy", Namespace = "kube-system" },
            Spec = new DaemonSetSpec { Template = new PodTemplateSpec { Spec = new PodSpec { Containers = [new Container { Name = "kube-proxy", Image = $"registry.k8s.io/kube-proxy:{version}" }] } } },
        });
        deployments.Add(new Deployment
        {
            Metadata = new ObjectMeta { Name = "coredns", Namespace = "kube-system" },
            Spec = new DeploymentSpec { Replicas = 2, Template = new PodTemplateSpec { Spec = new PodSpec { Containers = [new Container { Name = "coredns", Image = "registry.k8s.io/coredns/coredns:v1.10.1" }] } } },
        });
    }

    public TestCluster ControlPlane(string name, string? kubelet = null, string? apiserver = null, string cpu = "2", string memory = "4Gi", bool ready = true)
    {
        AddNode(name, kubelet ?? version, cpu, memory, ready, controlPlane: true, labels: null, taints: [new Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }], unschedulable: false);
        foreach (var (component, cpuReq) in new[] { ("etcd", "100m"), ("kube-apiserver", "250m"), ("kube-controller-manager", "200m"), ("kube-scheduler", "100m") })
        {
            var image = component == "etcd" ? "registry.k8s.io/etcd:3.5.12-0" : $"registry.k8s.io/{component}:{(component == "kube-apiserver" ? apiserver ?? version : version)}";
            pods.Add(MakePod("kube-system", $"{component}-{name}", name, image, cpuReq, null,
                new Dictionary<string, string> { ["component"] = component, ["tier"] = "control-plane" },
                new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = name, Uid = "node-" + name, Controller = true },
                mirror: true, tolerations: [new Toleration { Operator = "Exists", Effect = "NoExecute" }]));
        }
        return this;
    }

    public TestCluster Worker(string name, string? kubelet = null, string cpu = "4", string memory = "8Gi", bool ready = true,
        Dictionary<string, string>? labels = null, Taint[]? taints = null, bool unschedulable = false)
    {
        AddNode(name, kubelet ?? version, cpu, memory, ready, controlPlane: false, labels, taints ?? [], unschedulable);
        return this;
    }

    /// <summary>A Deployment with a ReplicaSet and one pod per listed node.</summary>
    public TestCluster Deployment(string ns, string name, string[] onNodes, string cpu = "100m", string memory = "128Mi",
        Dictionary<string, string>? nodeSelector = null, bool emptyDir = false)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        deployments.Add(new Deployment
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = "dep-" + name },
            Spec = new DeploymentSpec { Replicas = onNodes.Length, Selector = new LabelSelector { MatchLabels = labels } },
            Status = new DeploymentStatus { ReadyReplicas = onNodes.Length },
        });
        var rs = $"{name}-5d8f7c";
        replicaSets.Add(new ReplicaSet
        {
            Metadata = new ObjectMeta
            {
                Name = rs, Namespace = ns, Uid = "rs-" + name,
                OwnerReferences = [new OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name, Uid = "dep-" + name, Controller = true }],
            },
            Spec = new ReplicaSetSpec { Replicas = onNodes.Length, Selector = new LabelSelector { MatchLabels = labels } },
            Status = new ReplicaSetStatus { Replicas = onNodes.Length, ReadyReplicas = onNodes.Length },
        });
        for (var i = 0; i < onNodes.Length; i++)
            pods.Add(MakePod(ns, $"{rs}-{i}", onNodes[i], $"example/{name}:1", cpu, memory, labels,
                new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rs, Uid = "rs-" + name, Controller = true },
                nodeSelector: nodeSelector, emptyDir: emptyDir));
        return this;
    }

    public TestCluster BarePod(string ns, string name, string node)
    {
        pods.Add(MakePod(ns, name, node, "busybox:1.36", null, null, new Dictionary<string, string> { ["run"] = name }, owner: null));
        return this;
    }

    public TestCluster Pdb(string ns, string name, string app, IntOrString? minAvailable = null, IntOrString? maxUnavailable = null, int disruptionsAllowed = 1)
    {
        pdbs.Add(new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new PodDisruptionBudgetSpec { Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } }, MinAvailable = minAvailable, MaxUnavailable = maxUnavailable },
            Status = new PodDisruptionBudgetStatus { DisruptionsAllowed = disruptionsAllowed, ExpectedPods = 1, CurrentHealthy = 1, DesiredHealthy = 1 },
        });
        return this;
    }

    /// <summary>An object of a kind Drydock does not model, served through <paramref name="apiVersion"/>.</summary>
    public TestCluster Other(string apiVersion, string kind, string name)
    {
        extraApis.Add(new ObjectApiVersion(apiVersion, kind, name, null));
        return this;
    }

    public KubeObjectSet Objects() => new()
    {
        Nodes = nodes, Pods = pods, Pdbs = pdbs, Deployments = deployments, ReplicaSets = replicaSets, DaemonSets = daemonSets, ConfigMaps = configMaps,
        ApiVersions = [.. extraApis, .. pdbs.Select(p => new ObjectApiVersion("policy/v1", "PodDisruptionBudget", $"{p.Metadata.Namespace}/{p.Metadata.Name}", null))],
    };

    public ClusterSnapshot Snapshot(string source = "test cluster") => SnapshotBuilder.Build(Objects(), source);

    /// <summary>The cluster as `kubectl get … -A -o json` would print it.</summary>
    public string ToListJson()
    {
        var items = new List<JsonElement>();
        void Add<T>(IEnumerable<T> objs) { foreach (var o in objs) items.Add(JsonDocument.Parse(KubeJson.Serialize(o)).RootElement); }
        Add(nodes); Add(pods); Add(deployments); Add(replicaSets); Add(daemonSets); Add(pdbs); Add(configMaps);
        return KubeJson.Serialize(new KubeList<JsonElement> { ApiVersion = "v1", Kind = "List", Items = items });
    }

    private void AddNode(string name, string kubelet, string cpu, string memory, bool ready, bool controlPlane,
        Dictionary<string, string>? labels, Taint[] taints, bool unschedulable)
    {
        var allLabels = new Dictionary<string, string>(labels ?? []) { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux" };
        if (controlPlane) allLabels["node-role.kubernetes.io/control-plane"] = "";
        nodes.Add(new Node
        {
            Metadata = new ObjectMeta { Name = name, Uid = "node-" + name, Labels = allLabels },
            Spec = new NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new NodeStatus
            {
                Allocatable = new Dictionary<string, string> { ["cpu"] = cpu, ["memory"] = memory, ["pods"] = "110" },
                Conditions = [new NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                NodeInfo = new NodeSystemInfo { KubeletVersion = kubelet, KubeProxyVersion = kubelet, OsImage = "Ubuntu 22.04.4 LTS", ContainerRuntimeVersion = "containerd://1.7.12" },
            },
        });
        pods.Add(MakePod("kube-system", $"kube-proxy-{name}", name, $"registry.k8s.io/kube-proxy:{version}", null, null,
            new Dictionary<string, string> { ["k8s-app"] = "kube-proxy" },
            new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "kube-proxy", Uid = "ds-kube-proxy", Controller = true }));
    }

    private static Pod MakePod(string ns, string name, string node, string image, string? cpu, string? memory, Dictionary<string, string> labels,
        OwnerReference? owner, bool mirror = false, Toleration[]? tolerations = null, Dictionary<string, string>? nodeSelector = null, bool emptyDir = false)
    {
        var requests = new Dictionary<string, string>();
        if (cpu is not null) requests["cpu"] = cpu;
        if (memory is not null) requests["memory"] = memory;
        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = ns, Uid = "pod-" + name, Labels = labels,
                OwnerReferences = owner is null ? null : [owner],
                Annotations = mirror ? new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "abc" } : null,
            },
            Spec = new PodSpec
            {
                NodeName = node,
                Containers = [new Container { Name = "c", Image = image, Resources = requests.Count == 0 ? null : new ResourceRequirements { Requests = requests } }],
                Tolerations = tolerations,
                NodeSelector = nodeSelector,
                Volumes = emptyDir ? [new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() }] : null,
                TerminationGracePeriodSeconds = 30,
            },
            Status = new PodStatus { Phase = "Running", Conditions = [new PodCondition { Type = "Ready", Status = "True" }] },
        };
    }
}
