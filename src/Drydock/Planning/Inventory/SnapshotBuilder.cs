using System.Text.Json;
using Drydock.Kube.Models;
using Drydock.Versions;

namespace Drydock.Planning.Inventory;

/// <summary>Reduces typed API objects to a <see cref="ClusterSnapshot"/> (pure; shared by the file loader and the live inventory).</summary>
public static class SnapshotBuilder
{
    public const string ControlPlaneRoleLabel = "node-role.kubernetes.io/control-plane";
    public const string LegacyMasterRoleLabel = "node-role.kubernetes.io/master";
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    public static readonly string[] StaticComponents = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"];

    public static ClusterSnapshot Build(KubeObjectSet objects, string source, bool live = false,
        VersionInfo? version = null, DateTimeOffset? takenAt = null)
    {
        var workloads = ToWorkloads(objects);
        var reducer = new PodReducer(workloads);
        return Build(objects, workloads, objects.Pods.Select(reducer.Reduce).ToList(), source, live, version, takenAt);
    }

    /// <summary>Reduces pods to <see cref="PodState"/> as they are read, so a reader need not hold every typed pod
    /// (150,000 at 5,000 nodes) until the snapshot is built. Needs the workloads first: a ReplicaSet's pods belong
    /// to its Deployment.</summary>
    internal sealed class PodReducer(IReadOnlyList<WorkloadState> workloads)
    {
        private readonly Dictionary<(string, string), OwnerRef> _replicaSetOwner =
            workloads.Where(w => w.Kind == "ReplicaSet" && w.Owner is not null).ToDictionary(w => (w.Namespace, w.Name), w => w.Owner!);

        public PodState Reduce(Pod pod) => ToPod(pod, _replicaSetOwner);
    }

    /// <summary>The snapshot from typed objects whose workloads and pods were already reduced (<see cref="Workloads"/>, <see cref="PodReducer"/>).</summary>
    internal static ClusterSnapshot Build(KubeObjectSet objects, List<WorkloadState> workloads, List<PodState> pods, string source,
        bool live, VersionInfo? version, DateTimeOffset? takenAt)
    {
        var warnings = new List<string>();
        var nodes = objects.Nodes.Select(n => ToNode(n, warnings)).ToList();
        var controlPlane = ToControlPlane(nodes, pods);

        KubeVersion? apiVersion = null;
        if (version is not null && !string.IsNullOrEmpty(version.GitVersion))
        {
            apiVersion = KubeVersion.TryParse(version.GitVersion, out var e);
            if (apiVersion is null) warnings.Add($"/version gitVersion: {e}");
        }
        apiVersion ??= controlPlane.Select(c => c.KubeApiserver?.Version).OfType<KubeVersion>().DefaultIfEmpty().Max();

        var kubeadmConfig = objects.ConfigMaps.FirstOrDefault(c => c.Metadata.Namespace == "kube-system" && c.Metadata.Name == "kubeadm-config");
        KubeVersion? kubeadmVersion = null;
        if (kubeadmConfig is null) warnings.Add("the ConfigMap \"kubeadm-config\" in the \"kube-system\" namespace was not found");
        else kubeadmVersion = ReadKubernetesVersion(kubeadmConfig, warnings);

        var proxy = objects.DaemonSets.FirstOrDefault(d => d.Metadata.Namespace == "kube-system" && d.Metadata.Name == "kube-proxy");
        var proxyImage = proxy?.Spec?.Template?.Spec?.Containers.FirstOrDefault()?.Image;
        var coredns = objects.Deployments.FirstOrDefault(d => d.Metadata.Namespace == "kube-system" && d.Metadata.Name == "coredns");
        var corednsImage = coredns?.Spec?.Template?.Spec?.Containers.FirstOrDefault()?.Image;

        return new ClusterSnapshot
        {
            Source = source,
            Live = live,
            TakenAt = takenAt,
            ApiServerVersion = apiVersion,
            KubeadmKubernetesVersion = kubeadmVersion,
            Nodes = nodes,
            Pods = pods,
            Pdbs = objects.Pdbs.Select(ToPdb).ToList(),
            Workloads = workloads,
            ControlPlane = controlPlane,
            KubeProxyImage = proxyImage,
            KubeProxyVersion = proxyImage is null ? null : KubeVersion.TryParse(ImageTag(proxyImage), out _),
            CoreDnsImage = corednsImage,
            CoreDnsVersion = corednsImage is null ? null : ImageTag(corednsImage),
            ApiUsages = AggregateApiUsage(objects.ApiVersions),
            Warnings = warnings,
        };
    }

    /// <summary>"registry.k8s.io/kube-apiserver:v1.27.16@sha256:…" → "v1.27.16"; no tag → "latest".</summary>
    public static string ImageTag(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[(colon + 1)..] : "latest";
    }

    private static NodeState ToNode(Node n, List<string> warnings)
    {
        var labels = n.Metadata.Labels ?? PodState.Empty;
        var roles = labels.Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                               .Select(k => k["node-role.kubernetes.io/".Length..]).Where(r => r.Length > 0).Order(StringComparer.Ordinal).ToList();
        var kubeletText = n.Status?.NodeInfo?.KubeletVersion ?? "";
        var kubelet = KubeVersion.TryParse(kubeletText, out var err);
        if (kubelet is null) warnings.Add($"node {n.Metadata.Name}: kubelet version: {err}");
        var alloc = n.Status?.Allocatable;
        return new NodeState
        {
            Name = n.Metadata.Name ?? "",
            Roles = roles,
            IsControlPlane = labels.ContainsKey(ControlPlaneRoleLabel) || labels.ContainsKey(LegacyMasterRoleLabel),
            Labels = labels,
            Taints = n.Spec?.Taints ?? [],
            Allocatable = new ResourceAmounts(
                Quantity.ToMilli(alloc?.GetValueOrDefault("cpu")),
                Quantity.ToUnits(alloc?.GetValueOrDefault("memory")),
                (int)Math.Min(int.MaxValue, Quantity.ToUnits(alloc?.GetValueOrDefault("pods") ?? "110"))),
            KubeletVersion = kubelet,
            KubeletVersionText = kubeletText,
            Ready = n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Unschedulable = n.Spec?.Unschedulable == true,
            OsImage = n.Status?.NodeInfo?.OsImage ?? "",
            ContainerRuntimeVersion = n.Status?.NodeInfo?.ContainerRuntimeVersion ?? "",
        };
    }

    private static PodState ToPod(Pod p, Dictionary<(string, string), OwnerRef> rsOwner)
    {
        var spec = p.Spec;
        var ns = p.Metadata.Namespace ?? "default";
        var owner = p.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        var controller = owner is null ? null : new OwnerRef(owner.Kind, owner.Name, owner.Uid);
        var workload = controller;
        if (controller?.Kind == "ReplicaSet" && rsOwner.TryGetValue((ns, controller.Name), out var dep)) workload = dep;
        return new PodState
        {
            Namespace = ns,
            Name = p.Metadata.Name ?? "",
            Uid = p.Metadata.Uid ?? "",
            NodeName = spec?.NodeName,
            Labels = p.Metadata.Labels ?? PodState.Empty,
            Controller = controller,
            Workload = workload,
            IsMirror = p.Metadata.Annotations?.ContainsKey(MirrorAnnotation) == true,
            Requests = EffectiveRequests(spec),
            NodeSelector = spec?.NodeSelector ?? PodState.Empty,
            Tolerations = spec?.Tolerations ?? [],
            RequiredNodeAffinity = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution,
            HasEmptyDir = spec?.Volumes?.Any(v => v.EmptyDir is not null) == true,
            Volumes = spec?.Volumes?.Select(v => v.Name).ToList() ?? [],
            Phase = p.Status?.Phase ?? "",
            Ready = p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Terminating = p.Metadata.DeletionTimestamp is not null,
            TerminationGracePeriodSeconds = spec?.TerminationGracePeriodSeconds ?? 30,
            PriorityClassName = spec?.PriorityClassName,
            Image = spec?.Containers.FirstOrDefault()?.Image,
        };
    }

    /// <summary>The scheduler's rule: max(sum of app containers, each init container) per resource, plus one pod slot.</summary>
    public static ResourceAmounts EffectiveRequests(PodSpec? spec)
    {
        if (spec is null) return new ResourceAmounts(0, 0, 1);
        long cpu = 0, mem = 0;
        foreach (var c in spec.Containers)
        {
            cpu += Quantity.ToMilli(c.Resources?.Requests?.GetValueOrDefault("cpu"));
            mem += Quantity.ToUnits(c.Resources?.Requests?.GetValueOrDefault("memory"));
        }
        foreach (var c in spec.InitContainers ?? [])
        {
            cpu = Math.Max(cpu, Quantity.ToMilli(c.Resources?.Requests?.GetValueOrDefault("cpu")));
            mem = Math.Max(mem, Quantity.ToUnits(c.Resources?.Requests?.GetValueOrDefault("memory")));
        }
        return new ResourceAmounts(cpu, mem, 1);
    }

    private static PdbState ToPdb(PodDisruptionBudget p) => new()
    {
        Namespace = p.Metadata.Namespace ?? "default",
        Name = p.Metadata.Name ?? "",
        Selector = p.Spec?.Selector,
        MinAvailable = p.Spec?.MinAvailable,
        MaxUnavailable = p.Spec?.MaxUnavailable,
        UnhealthyPodEvictionPolicy = p.Spec?.UnhealthyPodEvictionPolicy,
        DisruptionsAllowed = p.Status?.DisruptionsAllowed ?? 0,
        CurrentHealthy = p.Status?.CurrentHealthy ?? 0,
        DesiredHealthy = p.Status?.DesiredHealthy ?? 0,
        ExpectedPods = p.Status?.ExpectedPods ?? 0,
    };

    internal static List<WorkloadState> Workloads(KubeObjectSet objects) => ToWorkloads(objects);

    private static List<WorkloadState> ToWorkloads(KubeObjectSet o)
    {
        var list = new List<WorkloadState>();
        foreach (var d in o.Deployments) list.Add(W("Deployment", d.Metadata, d.Spec?.Replicas ?? 1, d.Status?.ReadyReplicas ?? 0, d.Spec?.Selector, d.Spec?.Template));
        foreach (var r in o.ReplicaSets) list.Add(W("ReplicaSet", r.Metadata, r.Spec?.Replicas ?? 1, r.Status?.ReadyReplicas ?? 0, r.Spec?.Selector, r.Spec?.Template));
        foreach (var s in o.StatefulSets) list.Add(W("StatefulSet", s.Metadata, s.Spec?.Replicas ?? 1, s.Status?.ReadyReplicas ?? 0, s.Spec?.Selector, s.Spec?.Template));
        foreach (var d in o.DaemonSets) list.Add(W("DaemonSet", d.Metadata, d.Status?.DesiredNumberScheduled ?? 0, d.Status?.NumberReady ?? 0, d.Spec?.Selector, d.Spec?.Template));
        foreach (var j in o.Jobs) list.Add(W("Job", j.Metadata, j.Spec?.Parallelism ?? 1, j.Status?.Active ?? 0, j.Spec?.Selector, j.Spec?.Template));
        foreach (var r in o.ReplicationControllers)
            list.Add(W("ReplicationController", r.Metadata, r.Spec?.Replicas ?? 1, r.Status?.ReadyReplicas ?? 0,
                r.Spec?.Selector is null ? null : new LabelSelector { MatchLabels = r.Spec.Selector }, r.Spec?.Template));
        return list;

        static WorkloadState W(string kind, ObjectMeta m, int replicas, int ready, LabelSelector? selector, PodTemplateSpec? template)
        {
            var owner = m.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
            return new WorkloadState
            {
                Kind = kind,
                Namespace = m.Namespace ?? "default",
                Name = m.Name ?? "",
                Uid = m.Uid ?? "",
                Replicas = replicas,
                ReadyReplicas = ready,
                Selector = selector,
                Image = template?.Spec?.Containers.FirstOrDefault()?.Image,
                Owner = owner is null ? null : new OwnerRef(owner.Kind, owner.Name, owner.Uid),
            };
        }
    }

    private static List<ControlPlaneNode> ToControlPlane(List<NodeState> nodes, List<PodState> pods)
    {
        var byNode = new Dictionary<string, Dictionary<string, StaticPodState>>(StringComparer.Ordinal);
        foreach (var p in pods)
        {
            if (p.Namespace != "kube-system" || p.NodeName is null || p.Image is null) continue;
            if (!p.Labels.TryGetValue("component", out var component) || !StaticComponents.Contains(component)) continue;
            if (!p.Labels.TryGetValue("tier", out var tier) || tier != "control-plane") continue;
            var tag = ImageTag(p.Image);
            var state = new StaticPodState(component, p.Name, p.Image, tag,
                component == "etcd" ? null : KubeVersion.TryParse(tag, out _), p.Phase, p.Ready);
            if (!byNode.TryGetValue(p.NodeName, out var map)) byNode[p.NodeName] = map = [];
            map[component] = state;
        }
        var result = new List<ControlPlaneNode>();
        foreach (var n in nodes)
        {
            byNode.TryGetValue(n.Name, out var map);
            if (!n.IsControlPlane && map is null) continue;
            map ??= [];
            result.Add(new ControlPlaneNode
            {
                Node = n.Name,
                KubeApiserver = map.GetValueOrDefault("kube-apiserver"),
                KubeControllerManager = map.GetValueOrDefault("kube-controller-manager"),
                KubeScheduler = map.GetValueOrDefault("kube-scheduler"),
                Etcd = map.GetValueOrDefault("etcd"),
            });
        }
        return result;
    }

    private static KubeVersion? ReadKubernetesVersion(ConfigMap cm, List<string> warnings)
    {
        var yaml = cm.Data?.GetValueOrDefault("ClusterConfiguration");
        if (yaml is null) { warnings.Add("kubeadm-config has no ClusterConfiguration"); return null; }
        // ClusterConfiguration is flat YAML at the top level; kubernetesVersion is a top-level scalar.
        foreach (var line in yaml.Split('\n'))
        {
            if (!line.StartsWith("kubernetesVersion:", StringComparison.Ordinal)) continue;
            var text = line["kubernetesVersion:".Length..].Trim().Trim('"', '\'');
            var v = KubeVersion.TryParse(text, out var e);
            if (v is null) warnings.Add($"kubeadm-config kubernetesVersion: {e}");
            return v;
        }
        warnings.Add("kubeadm-config ClusterConfiguration has no kubernetesVersion");
        return null;
    }

    private static List<ApiUsage> AggregateApiUsage(IReadOnlyList<ObjectApiVersion> objects)
    {
        var map = new Dictionary<(string, string, bool), (int Count, string Example)>();
        foreach (var o in objects)
        {
            Add(o.ApiVersion, o.Kind, o.Name, false);
            if (o.LastAppliedApiVersion is { } la && la != o.ApiVersion) Add(la, o.Kind, o.Name, true);
        }
        return map.OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
                  .Select(kv => new ApiUsage(kv.Key.Item1, kv.Key.Item2, kv.Value.Count, kv.Value.Example, kv.Key.Item3)).ToList();

        void Add(string apiVersion, string kind, string name, bool lastApplied)
        {
            var key = (apiVersion, kind, lastApplied);
            map[key] = map.TryGetValue(key, out var e) ? (e.Count + 1, e.Example) : (1, name);
        }
    }

    /// <summary>apiVersion of a last-applied-configuration annotation, or null.</summary>
    public static string? LastAppliedApiVersion(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(LastAppliedAnnotation, out var json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
