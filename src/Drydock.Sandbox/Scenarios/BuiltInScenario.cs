using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Scenarios;

/// <summary>
/// The built-in clusters: kubeadm v1.27.16, "default" = 1 control plane + 3 workers, "ha" = 3 control planes + 3
/// workers. Control planes carry mirror pods (etcd, kube-apiserver, kube-controller-manager, kube-scheduler);
/// kube-system has kube-proxy (DaemonSet), CoreDNS (Deployment + PDB) and kubeadm-config. Workloads: shop/web
/// (Deployment 3, PDB maxUnavailable 1), shop/payments (Deployment 2, PDB minAvailable 2 — blocks every drain),
/// shop/cache (Deployment 2 with emptyDir), data/db (StatefulSet 3, PDB minAvailable 2), default/debug-shell
/// (bare pod). Controllers create the workload pods when the list is loaded.
/// </summary>
public static class BuiltInScenario
{
    public const string Version = "v1.27.16";
    public static IReadOnlyList<string> Names { get; } = ["default", "ha"];

    public static string Build(string name)
    {
        var controlPlanes = name switch
        {
            "default" => 1,
            "ha" => 3,
            _ => throw new ArgumentException($"unknown scenario \"{name}\" (known: {string.Join(", ", Names)})", nameof(name)),
        };
        var items = new JsonArray();
        for (var i = 1; i <= controlPlanes; i++) AddControlPlane(items, $"cp-{i}", i);
        for (var i = 1; i <= 3; i++) items.Add(NodeObject($"worker-{i}", 10 + i, controlPlane: false));
        items.Add(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "kubeadm-config", ["namespace"] = "kube-system" },
            ["data"] = new JsonObject
            {
                ["ClusterConfiguration"] = $"apiServer:\n  timeoutForControlPlane: 4m0s\napiVersion: kubeadm.k8s.io/v1beta3\ncertificatesDir: /etc/kubernetes/pki\nclusterName: kubernetes\ncontrollerManager: {{}}\ndns: {{}}\netcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: registry.k8s.io\nkind: ClusterConfiguration\nkubernetesVersion: {Version}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\nscheduler: {{}}\n",
            },
        });
        items.Add(Workload("DaemonSet", "kube-system", "kube-proxy", null, $"registry.k8s.io/kube-proxy:{Version}", tolerateAll: true, extraLabels: ("k8s-app", "kube-proxy")));
        items.Add(Workload("Deployment", "kube-system", "coredns", 2, "registry.k8s.io/coredns/coredns:v1.10.1", extraLabels: ("k8s-app", "kube-dns"), cpu: "100m", memory: "70Mi"));
        items.Add(Pdb("kube-system", "coredns", ("k8s-app", "kube-dns"), maxUnavailable: 1));
        items.Add(Workload("Deployment", "shop", "web", 3, "nginx:1.25", cpu: "100m", memory: "128Mi"));
        items.Add(Pdb("shop", "web", ("app", "web"), maxUnavailable: 1));
        items.Add(Workload("Deployment", "shop", "payments", 2, "payments:2.4", cpu: "200m", memory: "256Mi"));
        items.Add(Pdb("shop", "payments", ("app", "payments"), minAvailable: 2));
        items.Add(Workload("Deployment", "shop", "cache", 2, "redis:7", emptyDir: true));
        items.Add(Workload("StatefulSet", "data", "db", 3, "postgres:16", grace: 10));
        items.Add(Pdb("data", "db", ("app", "db"), minAvailable: 2));
        items.Add(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "debug-shell", ["namespace"] = "default", ["labels"] = new JsonObject { ["run"] = "debug-shell" } },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "shell", ["image"] = "busybox:1.36", ["command"] = new JsonArray("sleep", "infinity") }),
                ["terminationGracePeriodSeconds"] = 5,
            },
        });
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "" }, ["items"] = items }.ToJsonString();
    }

    private const string Created = "2026-01-01T00:00:00Z";

    private static string NodeUid(int i) => $"00000000-0000-4000-8000-{i:D12}";

    private static JsonObject NodeObject(string name, int index, bool controlPlane)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64", ["beta.kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux",
        };
        if (controlPlane) { labels["node-role.kubernetes.io/control-plane"] = ""; labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""; }
        var cpu = controlPlane ? "2" : "4";
        var mem = controlPlane ? "3907784Ki" : "8006784Ki";
        JsonObject Cond(string type, string status, string reason, string message) => new()
        {
            ["type"] = type, ["status"] = status, ["lastHeartbeatTime"] = Created, ["lastTransitionTime"] = Created, ["reason"] = reason, ["message"] = message,
        };
        var node = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["uid"] = NodeUid(index), ["creationTimestamp"] = Created, ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///var/run/containerd/containerd.sock",
                    ["node.alpha.kubernetes.io/ttl"] = "0", ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject { ["podCIDR"] = $"10.244.{index}.0/24", ["podCIDRs"] = new JsonArray($"10.244.{index}.0/24") },
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = cpu, ["memory"] = mem, ["pods"] = "110", ["ephemeral-storage"] = "61202244Ki", ["hugepages-2Mi"] = "0" },
                ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = mem, ["pods"] = "110", ["ephemeral-storage"] = "56403987978", ["hugepages-2Mi"] = "0" },
                ["conditions"] = new JsonArray(
                    Cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = $"192.168.56.{index}" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = $"{index:x32}", ["systemUUID"] = NodeUid(100 + index), ["bootID"] = NodeUid(200 + index),
                    ["kernelVersion"] = "5.15.0-105-generic", ["osImage"] = "Ubuntu 22.04.4 LTS",
                    ["containerRuntimeVersion"] = "containerd://1.7.12", ["kubeletVersion"] = Version, ["kubeProxyVersion"] = Version,
                    ["operatingSystem"] = "linux", ["architecture"] = "amd64",
                },
            },
        };
        if (controlPlane)
            node["spec"]!["taints"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        return node;
    }

    private static void AddControlPlane(JsonArray items, string name, int index)
    {
        items.Add(NodeObject(name, index, controlPlane: true));
        foreach (var (component, image) in new[]
        {
            ("etcd", "registry.k8s.io/etcd:3.5.12-0"), ("kube-apiserver", $"registry.k8s.io/kube-apiserver:{Version}"),
            ("kube-controller-manager", $"registry.k8s.io/kube-controller-manager:{Version}"), ("kube-scheduler", $"registry.k8s.io/kube-scheduler:{Version}"),
        })
            items.Add(MirrorPod(component, image, name, NodeUid(index), index));
    }

    internal static JsonObject MirrorPod(string component, string image, string node, string nodeUid, int index)
    {
        var hash = $"{(uint)(component + node + image).GetHashCode(StringComparison.Ordinal):x8}";
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{component}-{node}", ["namespace"] = "kube-system", ["creationTimestamp"] = Created,
                ["labels"] = new JsonObject { ["component"] = component, ["tier"] = "control-plane" },
                ["annotations"] = new JsonObject
                {
                    ["kubernetes.io/config.hash"] = hash, ["kubernetes.io/config.mirror"] = hash, ["kubernetes.io/config.source"] = "file",
                },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node, ["uid"] = nodeUid, ["controller"] = true }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node, ["hostNetwork"] = true, ["priorityClassName"] = "system-node-critical", ["priority"] = 2000001000,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = component, ["image"] = image, ["command"] = new JsonArray(component) }),
                ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists", ["effect"] = "NoExecute" }),
                ["terminationGracePeriodSeconds"] = 30,
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running", ["hostIP"] = $"192.168.56.{index}", ["podIP"] = $"192.168.56.{index}", ["startTime"] = Created, ["qosClass"] = "Burstable",
                ["conditions"] = new JsonArray(new[] { "Initialized", "Ready", "ContainersReady", "PodScheduled" }.Select(t =>
                    (JsonNode)new JsonObject { ["type"] = t, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = Created }).ToArray()),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = component, ["ready"] = true, ["restartCount"] = 0, ["started"] = true, ["image"] = image, ["imageID"] = "",
                    ["containerID"] = $"containerd://{hash}", ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Created } },
                }),
            },
        };
    }

    private static JsonObject Workload(string kind, string ns, string name, int? replicas, string image, bool tolerateAll = false,
        (string Key, string Value)? extraLabels = null, string? cpu = null, string? memory = null, bool emptyDir = false, int grace = 5)
    {
        var (lk, lv) = extraLabels ?? ("app", name);
        var container = new JsonObject { ["name"] = name, ["image"] = image };
        if (cpu is not null || memory is not null)
            container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu ?? "50m", ["memory"] = memory ?? "64Mi" } };
        var podSpec = new JsonObject { ["containers"] = new JsonArray(container), ["terminationGracePeriodSeconds"] = grace };
        if (tolerateAll) podSpec["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" });
        if (emptyDir)
        {
            podSpec["volumes"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() });
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["mountPath"] = "/data" });
        }
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [lk] = lv } },
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [lk] = lv } }, ["spec"] = podSpec },
        };
        if (replicas is int n) spec["replicas"] = n;
        if (kind == "StatefulSet") spec["serviceName"] = name;
        var api = kind == "Job" ? "batch/v1" : "apps/v1";
        return new JsonObject
        {
            ["apiVersion"] = api, ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { [lk] = lv } },
            ["spec"] = spec,
        };
    }

    private static JsonObject Pdb(string ns, string name, (string Key, string Value) selector, int? minAvailable = null, int? maxUnavailable = null)
    {
        var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [selector.Key] = selector.Value } } };
        if (minAvailable is int min) spec["minAvailable"] = min;
        if (maxUnavailable is int max) spec["maxUnavailable"] = max;
        return new JsonObject
        {
            ["apiVersion"] = "policy/v1", ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }
}
