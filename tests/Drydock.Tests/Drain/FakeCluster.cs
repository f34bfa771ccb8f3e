using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Tests.Drain;

/// <summary>
/// A small in-memory API for executor tests in virtual time (the sandbox replaces it for integration tests):
/// pods terminate their grace period after eviction on the injected clock, PDBs refuse with 429 when no disruption
/// is allowed, one watch stream per caller, and every request is counted.
/// </summary>
internal sealed class FakeCluster(TimeProvider time) : IKubeClient
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Node> _nodes = new();
    private readonly Dictionary<(string, string), Pod> _pods = new();
    private readonly HashSet<(string, string)> _daemonSets = new();
    private readonly List<PodDisruptionBudget> _pdbs = new();
    private readonly List<(long Rv, WatchEvent<Pod> Event)> _log = new();
    private readonly List<Channel<WatchEvent<Pod>>> _watchers = new();
    private long _rv = 100;
    private int _uidSeq;

    public Uri Server { get; } = new("https://127.0.0.1:6443");
    public bool EvictionSupported { get; set; } = true;
    public bool WatchBroken { get; set; }
    public List<string> Requests { get; } = new();
    public List<Event> Events { get; } = new();
    public List<string> Patches { get; } = new();
    public List<(string Pod, DeleteOptions? Options, DryRun DryRun)> Evictions { get; } = new();
    public Func<string, string, KubeApiException?>? PatchFault { get; set; }
    /// <summary>Called for each eviction: returns an error to answer with instead of the normal logic.</summary>
    public Func<string, string, KubeApiException?>? EvictFault { get; set; }
    /// <summary>Called when a pod is removed (e.g. a StatefulSet recreating it).</summary>
    public Action<Pod>? OnRemoved { get; set; }

    public int Count(string prefix) { lock (_gate) return Requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal)); }

    public void AddNode(string name, bool unschedulable = false, Dictionary<string, string>? labels = null)
    {
        lock (_gate) _nodes[name] = new Node { Metadata = new ObjectMeta { Name = name, Uid = $"node-{name}", Labels = labels }, Spec = new NodeSpec { Unschedulable = unschedulable ? true : null } };
    }

    public void AddDaemonSet(string ns, string name) { lock (_gate) _daemonSets.Add((ns, name)); }

    public void AddPdb(PodDisruptionBudget pdb) { lock (_gate) _pdbs.Add(pdb); }

    public void SetPdbAllowed(string ns, string name, int allowed)
    {
        lock (_gate)
        {
            var i = _pdbs.FindIndex(p => p.Metadata.Namespace == ns && p.Metadata.Name == name);
            _pdbs[i] = _pdbs[i] with { Status = _pdbs[i].Status! with { DisruptionsAllowed = allowed } };
        }
    }

    public Node Node(string name) { lock (_gate) return _nodes[name]; }

    public bool HasPod(string ns, string name) { lock (_gate) return _pods.ContainsKey((ns, name)); }

    public Pod? Pod(string ns, string name) { lock (_gate) return _pods.GetValueOrDefault((ns, name)); }

    public void AddPod(Pod pod)
    {
        lock (_gate)
        {
            pod = pod with { Metadata = pod.Metadata with { Uid = pod.Metadata.Uid ?? $"uid-{++_uidSeq}", ResourceVersion = Next() } };
            var added = !_pods.ContainsKey(Key(pod));
            _pods[Key(pod)] = pod;
            Publish(added ? WatchEvent<Pod>.Added : WatchEvent<Pod>.Modified, pod);
        }
    }

    private static (string, string) Key(Pod p) => (p.Metadata.Namespace ?? "default", p.Metadata.Name ?? "");
    private string Next() => (++_rv).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Publish(string type, Pod pod)
    {
        var ev = new WatchEvent<Pod>(type, pod);
        _log.Add((long.Parse(pod.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture), ev));
        foreach (var w in _watchers) w.Writer.TryWrite(ev);
    }

    private void Record(string request) { lock (_gate) Requests.Add(request); }

    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => Task.FromResult(new VersionInfo { Major = "1", Minor = "32", GitVersion = "v1.32.4" });

    public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default)
    {
        Record($"GET /api/{groupVersion}");
        IReadOnlyList<ApiResource> resources = EvictionSupported
            ? [new ApiResource { Name = "pods", Kind = "Pod", Namespaced = true }, new ApiResource { Name = "pods/eviction", Kind = "Eviction", Group = "policy", Version = "v1", Namespaced = true }]
            : [new ApiResource { Name = "pods", Kind = "Pod", Namespaced = true }];
        return Task.FromResult(new ApiResourceList { GroupVersion = groupVersion, Resources = resources });
    }

    public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class
    {
        Record($"GET {kind.Plural}/{name}");
        lock (_gate)
        {
            object? found = kind.Kind switch
            {
                "Node" => _nodes.GetValueOrDefault(name),
                "Pod" => _pods.GetValueOrDefault((ns!, name)),
                "DaemonSet" => _daemonSets.Contains((ns!, name)) ? new DaemonSet { Metadata = new ObjectMeta { Name = name, Namespace = ns } } : null,
                "PodDisruptionBudget" => _pdbs.FirstOrDefault(p => p.Metadata.Namespace == ns && p.Metadata.Name == name),
                _ => null,
            };
            var resource = kind.Group.Length == 0 ? kind.Plural : $"{kind.Plural}.{kind.Group}";
            return found is T t ? Task.FromResult(t) : Task.FromException<T>(KubeApiException.NotFound(resource, name));
        }
    }

    public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class
    {
        Record($"LIST {kind.Plural}{(options.Namespace is null ? "" : $" -n {options.Namespace}")}");
        lock (_gate)
        {
            IEnumerable<object> items = kind.Kind switch
            {
                "Pod" => _pods.Values.Where(p => options.FieldSelector is null || options.FieldSelector == $"spec.nodeName={p.Spec?.NodeName}")
                    .Where(p => MatchesSelector(options.LabelSelector, p.Metadata.Labels)).OrderBy(p => p.Metadata.Namespace).ThenBy(p => p.Metadata.Name),
                "Node" => _nodes.Values.Where(n => MatchesSelector(options.LabelSelector, n.Metadata.Labels)).OrderBy(n => n.Metadata.Name),
                "PodDisruptionBudget" => _pdbs.Where(p => options.Namespace is null || p.Metadata.Namespace == options.Namespace),
                _ => [],
            };
            var all = items.Cast<T>().ToList();
            var start = options.Continue is null ? 0 : int.Parse(options.Continue, System.Globalization.CultureInfo.InvariantCulture);
            var page = options.Limit > 0 ? all.Skip(start).Take(options.Limit).ToList() : all.Skip(start).ToList();
            var more = options.Limit > 0 && start + page.Count < all.Count;
            return Task.FromResult(new KubeList<T>
            {
                Items = page,
                Metadata = new ListMeta { ResourceVersion = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture), Continue = more ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null },
            });
        }
    }

    private static bool MatchesSelector(string? selector, IReadOnlyDictionary<string, string>? labels) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var kv = term.Split('=');
            return labels is not null && labels.TryGetValue(kv[0], out var v) && v == kv[1];
        });

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, [EnumeratorCancellation] CancellationToken ct = default) where T : class
    {
        Record($"WATCH {kind.Plural}");
        if (WatchBroken) throw new HttpRequestException("watch is not supported here");
        var channel = Channel.CreateUnbounded<WatchEvent<Pod>>();
        lock (_gate)
        {
            var from = long.Parse(options.ResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (rv, ev) in _log.Where(e => e.Rv > from)) channel.Writer.TryWrite(ev);
            _watchers.Add(channel);
        }
        try
        {
            // Not ReadAllAsync: it continues on the thread pool (ConfigureAwait(false)); this stays on the caller's context.
            while (await channel.Reader.WaitToReadAsync(ct))
                while (channel.Reader.TryRead(out var ev))
                    if (options.FieldSelector is null || options.FieldSelector == $"spec.nodeName={ev.Object?.Spec?.NodeName}")
                        yield return (WatchEvent<T>)(object)ev;
        }
        finally
        {
            lock (_gate) _watchers.Remove(channel);
        }
    }

    public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        Record($"POST {kind.Plural}");
        if (obj is Event e) lock (_gate) Events.Add(e);
        return Task.FromResult(obj);
    }

    public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        Record($"PATCH {kind.Plural}/{name}");
        if (PatchFault?.Invoke(name, patch) is { } fault) return Task.FromException<T>(fault);
        lock (_gate)
        {
            Patches.Add($"{name} {patch}{(dryRun == DryRun.Server ? " dryRun=All" : "")}");
            var node = _nodes[name];
            if (dryRun == DryRun.None) _nodes[name] = node = node with { Spec = (node.Spec ?? new NodeSpec()) with { Unschedulable = patch.Contains("true") ? true : null } };
            return Task.FromResult((T)(object)node);
        }
    }

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        Record($"DELETE {kind.Plural}/{name}");
        lock (_gate)
        {
            if (!_pods.TryGetValue((ns!, name), out var pod)) return Task.FromException(KubeApiException.NotFound("pods", name));
            if (dryRun == DryRun.None) StartTermination(pod, options);
        }
        return Task.CompletedTask;
    }

    public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        Record($"EVICT {ns}/{name}");
        lock (_gate)
        {
            Evictions.Add(($"{ns}/{name}", options, dryRun));
            if (EvictFault?.Invoke(ns, name) is { } fault) return Task.FromException(fault);
            if (!_pods.TryGetValue((ns, name), out var pod)) return Task.FromException(KubeApiException.NotFound("pods", name));
            if (options?.Preconditions?.Uid is { } uid && uid != pod.Metadata.Uid)
                return Task.FromException(new KubeApiException(new Status { Code = 409, Reason = "Conflict", Message = "Precondition failed: UID in precondition" }));
            var pdbs = _pdbs.Where(p => PdbDiagnostics.Covers(p, pod)).ToList();
            if (pdbs.Count > 1)
                return Task.FromException(new KubeApiException(new Status { Code = 500, Reason = "InternalError", Message = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support." }));
            if (pod.Metadata.DeletionTimestamp is null && pdbs.Count == 1)
            {
                var pdb = pdbs[0];
                if (pdb.Status!.DisruptionsAllowed <= 0)
                    return Task.FromException(new KubeApiException(new Status
                    {
                        Code = 429, Reason = "TooManyRequests", Message = DrainConstants.PdbViolationMessage,
                        // As the API server sends it: the budget named in a DisruptionBudget cause.
                        Details = new StatusDetails { Causes = [new StatusCause { Reason = "DisruptionBudget",
                            Message = $"The disruption budget {pdb.Metadata.Name} needs {pdb.Status.DesiredHealthy} healthy pods and has {pdb.Status.CurrentHealthy} currently" }] },
                    }));
                if (dryRun == DryRun.None)
                {
                    var i = _pdbs.IndexOf(pdb);
                    _pdbs[i] = pdb with { Status = pdb.Status with { DisruptionsAllowed = pdb.Status.DisruptionsAllowed - 1 } };
                }
            }
            if (dryRun == DryRun.None) StartTermination(pod, options);
        }
        return Task.CompletedTask;
    }

    /// <summary>Sets deletionTimestamp and removes the pod after its grace period on the injected clock.</summary>
    private void StartTermination(Pod pod, DeleteOptions? options)
    {
        if (pod.Metadata.DeletionTimestamp is not null) return;
        var grace = options?.GracePeriodSeconds ?? pod.Spec?.TerminationGracePeriodSeconds ?? 30;
        var terminating = pod with { Metadata = pod.Metadata with { DeletionTimestamp = time.GetUtcNow(), ResourceVersion = Next() } };
        _pods[Key(pod)] = terminating;
        Publish(WatchEvent<Pod>.Modified, terminating);
        if (grace < 0) return; // never goes away (stuck kubelet)
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                if (_pods.TryGetValue(Key(pod), out var current) && current.Metadata.Uid == pod.Metadata.Uid)
                {
                    _pods.Remove(Key(pod));
                    Publish(WatchEvent<Pod>.Deleted, current with { Metadata = current.Metadata with { ResourceVersion = Next() } });
                }
            }
            timer?.Dispose();
            OnRemoved?.Invoke(pod);
        }, null, TimeSpan.FromSeconds(grace), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Marks a pod Terminating that never goes away (kubelet unreachable).</summary>
    public void MarkStuck(string ns, string name, DateTimeOffset since)
    {
        lock (_gate)
        {
            var pod = _pods[(ns, name)];
            var stuck = pod with { Metadata = pod.Metadata with { DeletionTimestamp = since, ResourceVersion = Next() } };
            _pods[(ns, name)] = stuck;
            Publish(WatchEvent<Pod>.Modified, stuck);
        }
    }
}
