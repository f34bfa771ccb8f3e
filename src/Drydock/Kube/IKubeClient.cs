using Drydock.Kube.Models;

namespace Drydock.Kube;

/// <summary>
/// The narrow Kubernetes API surface Drydock uses. Implemented over HTTP (<c>KubeClient</c>) and, for fast
/// rehearsals, directly on the sandbox's store. Every call fails with <see cref="KubeApiException"/> carrying
/// the server's Status; transport retries (429/5xx/resets) happen inside the implementation.
/// </summary>
public interface IKubeClient
{
    /// <summary>The server URL (for messages; never includes credentials).</summary>
    Uri Server { get; }

    Task<VersionInfo> GetVersionAsync(CancellationToken ct = default);

    /// <summary>
    /// GET /readyz?verbose or /livez?verbose, one attempt: a failing server answers 500 with the failing checks named,
    /// which is the answer, not an error. Clients that cannot ask (the in-process sandbox) throw NotSupportedException.
    /// </summary>
    Task<ApiHealth> GetHealthAsync(string endpoint = "readyz", CancellationToken ct = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot query /{endpoint}");

    /// <summary>GET /api/v1 (core) or /apis/GROUP/VERSION: which resources and subresources the server offers.</summary>
    Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default);

    Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class;

    /// <summary>One page; pass <see cref="ListOptions.Continue"/> to get the next. See <c>KubeClientExtensions.ListAllAsync</c>.</summary>
    Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class;

    /// <summary>A single watch stream from <see cref="ListOptions.ResourceVersion"/>; ends when the server closes it.
    /// A 410 Gone surfaces as <see cref="KubeApiException"/> with code 410. See <c>Watcher</c> for the reconnecting loop.</summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class;

    Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class;

    Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class;

    /// <summary>DELETE; a 404 is an error here (callers that do not care catch it).</summary>
    Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default);

    /// <summary>POST pods/NAME/eviction with a policy/v1 Eviction.</summary>
    Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default);
}

public enum DryRun { None, Server }

public enum PatchType { StrategicMerge, Merge, Json }

public sealed record ListOptions
{
    public string? Namespace { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>0 = no paging.</summary>
    public int Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
    public bool AllowWatchBookmarks { get; init; } = true;
    public int? TimeoutSeconds { get; init; }
}

/// <summary>metav1.APIResourceList, as served by discovery.</summary>
public sealed record ApiResourceList
{
    public string? Kind { get; init; } = "APIResourceList";
    public string? ApiVersion { get; init; } = "v1";
    public string GroupVersion { get; init; } = "";
    public IReadOnlyList<ApiResource> Resources { get; init; } = [];
}

public sealed record ApiResource
{
    public required string Name { get; init; }
    public string SingularName { get; init; } = "";
    public bool Namespaced { get; init; }
    public string? Group { get; init; }
    public string? Version { get; init; }
    public required string Kind { get; init; }
    public IReadOnlyList<string> Verbs { get; init; } = [];
    public IReadOnlyList<string>? ShortNames { get; init; }
}
