using System.Runtime.CompilerServices;
using System.Text.Json;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Tests.Orchestration;

/// <summary>
/// A small in-memory API for the orchestrator's logic tests in virtual time: nodes, control-plane mirror pods,
/// ConfigMaps, Leases (with resourceVersion preconditions) and Events. The end-to-end tests use the sandbox instead.
/// </summary>
internal sealed class FakeCluster : IKubeClient
{
    private readonly Lock _gate = new();
    private long _rv = 100;
    public Dictionary<string, Node> Nodes { get; } = new();
    public Dictionary<string, Pod> StaticPods { get; } = new();
    public Dictionary<string, ConfigMap> ConfigMaps { get; } = new();
    public Dictionary<string, Lease> Leases { get; } = new();
    public List<Event> Events { get; } = [];
    public string ApiServerVersion { get; set; } = "v1.27.6";
    public Uri Server { get; } = new("https://127.0.0.1:6443");

    public void AddNode(string name, bool controlPlane, string kubelet = "v1.27.6", bool cordoned = false)
    {
        Nodes[name] = new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = controlPlane ? new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" } : new Dictionary<string, string>() },
            Spec = new NodeSpec { Unschedulable = cordoned ? true : null },
            Status = new NodeStatus
            {
                Conditions = [new NodeCondition { Type = "Ready", Status = "True" }],
                NodeInfo = new NodeSystemInfo { KubeletVersion = kubelet, BootID = "boot-1-" + name },
            },
        };
        if (controlPlane)
            foreach (var c in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd" })
                SetStaticPod(name, c, c == "etcd" ? "3.5.9-0" : kubelet);
    }

    public void SetStaticPod(string node, string component, string tag)
    {
        lock (_gate)
            StaticPods[$"{component}-{node}"] = new Pod
            {
                Metadata = new ObjectMeta { Name = $"{component}-{node}", Namespace = "kube-system", Labels = new Dictionary<string, string> { ["component"] = component, ["tier"] = "control-plane" } },
                Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = component, Image = $"registry.k8s.io/{component}:{tag}" }] },
                Status = new PodStatus { Conditions = [new PodCondition { Type = "Ready", Status = "True" }] },
            };
    }

    public void UpdateNode(string name, Func<Node, Node> change) { lock (_gate) Nodes[name] = change(Nodes[name]); }

    /// <summary>Kubelets newer than the oldest kube-apiserver (the HA skew rule), as "node kubelet > apiserver".</summary>
    public IReadOnlyList<string> SkewViolations()
    {
        lock (_gate)
        {
            var apiservers = StaticPods.Values.Where(p => p.Metadata.Labels!["component"] == "kube-apiserver")
                .Select(p => p.Spec!.Containers[0].Image!.Split(':')[1]).Select(V).ToList();
            if (apiservers.Count == 0) return [];
            var oldest = apiservers.Min();
            return Nodes.Values.Where(n => V(n.Status!.NodeInfo!.KubeletVersion) > oldest)
                .Select(n => $"{n.Metadata.Name} kubelet {n.Status!.NodeInfo!.KubeletVersion} > apiserver v{oldest}").ToList();
        }
    }

    private static Version V(string v) => Version.Parse(v.TrimStart('v'));

    public Node Node(string name) { lock (_gate) return Nodes[name]; }

    public int CountNodes(Func<Node, bool> where) { lock (_gate) return Nodes.Values.Count(where); }

    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => Task.FromResult(new VersionInfo { GitVersion = ApiServerVersion });

    public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            object? found = kind.Kind switch
            {
                "Node" => Nodes.GetValueOrDefault(name),
                "ConfigMap" => ConfigMaps.GetValueOrDefault($"{ns}/{name}"),
                "Lease" => Leases.GetValueOrDefault($"{ns}/{name}"),
                _ => throw new NotSupportedException(kind.Kind),
            };
            return found is T t ? Task.FromResult(t) : throw KubeApiException.NotFound(kind.Plural, name);
        }
    }

    public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (kind.Kind == "Pod")
            {
                var node = options.FieldSelector?.Replace("spec.nodeName=", "", StringComparison.Ordinal);
                var pods = StaticPods.Values.Where(p => node is null || p.Spec!.NodeName == node).Cast<T>().ToList();
                return Task.FromResult(new KubeList<T> { Items = pods });
            }
            if (kind.Kind == "Node") return Task.FromResult(new KubeList<T> { Items = Nodes.Values.Cast<T>().ToList() });
            throw new NotSupportedException(kind.Kind);
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, [EnumeratorCancellation] CancellationToken ct = default) where T : class
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var rv = (++_rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (obj)
            {
                case ConfigMap cm when !ConfigMaps.ContainsKey($"{ns}/{cm.Metadata.Name}"):
                    ConfigMaps[$"{ns}/{cm.Metadata.Name}"] = cm with { Metadata = cm.Metadata with { ResourceVersion = rv } };
                    break;
                case Lease l when !Leases.ContainsKey($"{ns}/{l.Metadata.Name}"):
                    Leases[$"{ns}/{l.Metadata.Name}"] = l with { Metadata = l.Metadata with { ResourceVersion = rv } };
                    break;
                case Event e:
                    Events.Add(e);
                    break;
                case ConfigMap or Lease:
                    throw new KubeApiException(new Status { Code = 409, Reason = "AlreadyExists", Message = "already exists" });
                default:
                    throw new NotSupportedException(kind.Kind);
            }
            return Task.FromResult(obj);
        }
    }

    public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var rv = (++_rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (kind.Kind == "ConfigMap")
            {
                if (!ConfigMaps.TryGetValue($"{ns}/{name}", out var cm)) throw KubeApiException.NotFound("configmaps", name);
                var data = new Dictionary<string, string>(cm.Data ?? new Dictionary<string, string>());
                foreach (var p in JsonDocument.Parse(patch).RootElement.GetProperty("data").EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Null) data.Remove(p.Name); else data[p.Name] = p.Value.GetString()!;
                ConfigMaps[$"{ns}/{name}"] = cm with { Data = data, Metadata = cm.Metadata with { ResourceVersion = rv } };
                return Task.FromResult((T)(object)ConfigMaps[$"{ns}/{name}"]);
            }
            if (kind.Kind == "Lease")
            {
                if (!Leases.TryGetValue($"{ns}/{name}", out var lease)) throw KubeApiException.NotFound("leases", name);
                var p = KubeJson.Deserialize<Lease>(patch);
                if (p.Metadata.ResourceVersion is { } want && want != lease.Metadata.ResourceVersion)
                    throw new KubeApiException(new Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" });
                var s = lease.Spec ?? new LeaseSpec();
                var n = p.Spec ?? new LeaseSpec();
                Leases[$"{ns}/{name}"] = lease with
                {
                    Metadata = lease.Metadata with { ResourceVersion = rv },
                    Spec = s with
                    {
                        HolderIdentity = n.HolderIdentity ?? s.HolderIdentity, AcquireTime = n.AcquireTime ?? s.AcquireTime, RenewTime = n.RenewTime ?? s.RenewTime,
                        LeaseDurationSeconds = n.LeaseDurationSeconds ?? s.LeaseDurationSeconds, LeaseTransitions = n.LeaseTransitions ?? s.LeaseTransitions,
                    },
                };
                return Task.FromResult((T)(object)Leases[$"{ns}/{name}"]);
            }
            throw new NotSupportedException(kind.Kind);
        }
    }

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (kind.Kind == "Lease" && Leases.Remove($"{ns}/{name}")) return Task.CompletedTask;
            if (kind.Kind == "ConfigMap" && ConfigMaps.Remove($"{ns}/{name}")) return Task.CompletedTask;
            throw KubeApiException.NotFound(kind.Plural, name);
        }
    }

    public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) => throw new NotSupportedException();
}
