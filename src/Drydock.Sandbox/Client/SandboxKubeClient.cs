using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Client;

/// <summary>
/// <see cref="IKubeClient"/> straight on the sandbox's store — the fast path for rehearsals. Same semantics as the
/// HTTP API (it calls the same REST operations: eviction rules, graceful deletion, dry run, errors as
/// <see cref="KubeApiException"/> with the apiserver's Status) and the same request counting.
/// </summary>
public sealed class SandboxKubeClient(SandboxCluster cluster) : IKubeClient
{
    public Uri Server { get; } = new("sandbox://in-process");

    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default)
    {
        var v = Sandbox.Kubeadm.KubeVersion.Parse(cluster.ApiServerVersion);
        return Task.FromResult(new VersionInfo
        {
            Major = v.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Minor = v.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            GitVersion = v.ToString(), GitTreeState = "clean", Compiler = "gc", Platform = "linux/amd64", GoVersion = "go1.22.5",
        });
    }

    public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default)
    {
        var parts = groupVersion.Split('/');
        var doc = parts.Length == 1 ? Api.Discovery.ResourceList("", parts[0]) : Api.Discovery.ResourceList(parts[0], parts[1]);
        if (doc is null) throw ApiErrors.NotFoundPath();
        return Task.FromResult(KubeJson.Deserialize<ApiResourceList>(doc.ToJsonString()));
    }

    public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class
    {
        var r = Resolve(kind);
        cluster.Stats.Request("GET", r.Kind.Plural);
        using var perf = Diagnostics.Perf.Measure("API GET ", r.Kind.Plural);
        return Task.FromResult(To<T>(cluster.ApiGet(r, ns, name)));
    }

    public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class
    {
        var r = Resolve(kind);
        cluster.Stats.Request("LIST", r.Kind.Plural);
        using var perf = Diagnostics.Perf.Measure("API LIST ", r.Kind.Plural);
        var page = cluster.ApiList(r, options.Namespace, options.LabelSelector, options.FieldSelector, options.Limit, options.Continue);
        return Task.FromResult(new KubeList<T>
        {
            ApiVersion = r.ApiVersion,
            Kind = r.ListKind,
            Metadata = new ListMeta { ResourceVersion = page.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Continue = page.Continue },
            Items = page.Items.Select(To<T>).ToList(),
        });
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, [EnumeratorCancellation] CancellationToken ct = default) where T : class
    {
        var r = Resolve(kind);
        cluster.Stats.Request("WATCH", r.Kind.Plural);
        using var sub = cluster.ApiWatch(r, options.Namespace, options.LabelSelector, options.FieldSelector, options.ResourceVersion);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.TimeoutSeconds is int t) cts.CancelAfter(TimeSpan.FromSeconds(t));
        while (true)
        {
            StoreChange change;
            try
            {
                if (!await sub.Events.Reader.WaitToReadAsync(cts.Token)) yield break;
                if (!sub.Events.Reader.TryRead(out change!)) continue;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { yield break; }
            yield return new WatchEvent<T>(change.Type, WatchObject<T>(change));
        }
    }

    /// <summary>The typed object of a watch event. A pod's DELETED final is the removed version's typed copy with the
    /// deletion's resourceVersion (a drain's tracker resumes from it), so the JSON final is neither copied nor read.</summary>
    private T WatchObject<T>(StoreChange change) where T : class
    {
        if (change.Type != "DELETED" || typeof(T) != typeof(Pod)) return To<T>(change.Object);
        var removed = change.RemovedTyped as Pod ?? To<Pod>(change.Previous!);
        var version = change.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (T)(object)(removed with { Metadata = removed.Metadata with { ResourceVersion = version } });
    }

    public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        var r = Resolve(kind);
        cluster.Stats.Request("CREATE", r.Kind.Plural);
        using var perf = Diagnostics.Perf.Measure("API CREATE ", r.Kind.Plural);
        // Built with plain leaves (MaterializedJson), not as views of the serialized text: a parsed string decodes its
        // UTF-8 on every read, and a run state's ConfigMap, created once, was decoded in full by every save's size
        // check and typed copy (a 5,000-node rehearsal's run allocated about 240 MiB more).
        JsonObject body;
        using (var document = JsonDocument.Parse(KubeJson.Serialize(obj))) body = (JsonObject)MaterializedJson.FromElement(document.RootElement)!;
        return Task.FromResult(To<T>(cluster.ApiCreate(r, ns, body, dryRun == DryRun.Server)));
    }

    public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        var r = Resolve(kind);
        cluster.Stats.Request("PATCH", r.Kind.Plural);
        using var perf = Diagnostics.Perf.Measure("API PATCH ", r.Kind.Plural);
        return Task.FromResult(To<T>(cluster.ApiPatch(r, ns, name, patchType, patch, dryRun == DryRun.Server, status: false)));
    }

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        var r = Resolve(kind);
        cluster.Stats.Request("DELETE", r.Kind.Plural);
        using var perf = Diagnostics.Perf.Measure("API DELETE ", r.Kind.Plural);
        cluster.ApiDelete(r, ns, name, options, dryRun == DryRun.Server || options?.DryRun?.Contains("All") == true);
        return Task.CompletedTask;
    }

    public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        cluster.Stats.Request("CREATE", "pods/eviction");
        using var perf = Diagnostics.Perf.Measure("API CREATE ", "pods/eviction");
        // A drain retries refused evictions by the tens of thousands: hand the refusal back as a faulted task, as the
        // HTTP client does, without throwing it at all (the rehearsal's recorder only inspects the task).
        try
        {
            var refused = cluster.Evict(ns, name, options, dryRun == DryRun.Server || options?.DryRun?.Contains("All") == true);
            return refused is null ? Task.CompletedTask : Task.FromException(refused);
        }
        catch (KubeApiException failed) { return Task.FromException(failed); }
    }

    private static ServedResource Resolve(ResourceKind kind) =>
        ServedResource.Find(kind.Group, kind.Version, kind.Plural) ?? throw ApiErrors.NotFoundPath();

    /// <summary>The typed copy of an object: stored versions are converted once and shared (see
    /// <see cref="ObjectStore.Typed{T}"/>); JsonObject callers get their own copy to edit.</summary>
    private T To<T>(JsonObject o) where T : class
    {
        if (typeof(T) == typeof(JsonObject)) return (T)(object)o.DeepClone();
        return cluster.Store.Typed(o, TypedCopy.Of<T>);
    }
}
