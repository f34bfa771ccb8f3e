using System.Text;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Polly;

namespace Drydock.Kube.Client;

/// <summary>
/// <see cref="IKubeClient"/> over HttpClient and <see cref="KubeJsonContext"/>. Every call runs inside a Polly
/// pipeline on the injected clock (overall deadline; retries with back-off for idempotent calls) and fails with
/// <see cref="KubeApiException"/>: the server's Status, or code 0 when the server could not be reached.
/// </summary>
public sealed partial class KubeClient : IKubeClient, IDisposable
{
    private readonly KubeClientOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<KubeResponse> _idempotent;
    private readonly ResiliencePipeline<KubeResponse> _nonIdempotent;
    private readonly string _base;

    public KubeClient(KubeClientOptions options)
    {
        _options = options;
        Server = WithoutUserInfo(options.Server);
        _base = Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        // The deadline is ours (on the injected clock), not HttpClient's wall-clock timeout.
        _http = new HttpClient(options.Handler ?? KubeClientConstants.CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _idempotent = KubeRetryPipeline.Idempotent(options);
        _nonIdempotent = KubeRetryPipeline.NonIdempotent(options);
    }

    /// <summary>A client for a plain URL with no credentials (tests, the sandbox on loopback).</summary>
    public static KubeClient ForServer(Uri server, TimeProvider? time = null, HttpMessageHandler? handler = null) =>
        new(new KubeClientOptions { Server = server, Time = time ?? TimeProvider.System, Handler = handler });

    public Uri Server { get; }

    public async Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) =>
        Read<VersionInfo>(await CallAsync(HttpMethod.Get, "/version", null, null, idempotent: true, ct));

    public async Task<ApiHealth> GetHealthAsync(string endpoint = "readyz", CancellationToken ct = default)
    {
        if (endpoint is not ("readyz" or "livez" or "healthz")) throw new ArgumentException($"unknown health endpoint {endpoint}", nameof(endpoint));
        KubeResponse response;
        // One attempt: a 500 from /readyz is the server telling which check fails, not a reason to retry.
        try { response = await AttemptAsync(HttpMethod.Get, $"/{endpoint}?verbose", null, null, ct); }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested) { throw Unreachable(ex); }
        var code = (int)response.StatusCode;
        if (code is not (200 or 500 or 503))
            throw new KubeApiException(KubeStatuses.FromResponse(response.StatusCode, response.Body, "GET", $"/{endpoint}"));
        return ApiHealth.Parse(endpoint, code, System.Text.Encoding.UTF8.GetString(response.Body));
    }

    public async Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default)
    {
        var path = groupVersion.Contains('/') ? $"/apis/{groupVersion}" : $"/api/{groupVersion}";
        return Read<ApiResourceList>(await CallAsync(HttpMethod.Get, path, null, null, idempotent: true, ct));
    }

    public async Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class =>
        Read<T>(await CallAsync(HttpMethod.Get, kind.ObjectPath(ns, name), null, null, idempotent: true, ct));

    public async Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class
    {
        var query = KubeQuery.ForList(options);
        return Read<KubeList<T>>(await CallAsync(HttpMethod.Get, kind.CollectionPath(options.Namespace) + query, null, null, idempotent: true, ct));
    }

    public async Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        var body = Encoding.UTF8.GetBytes(KubeJson.Serialize(obj));
        var path = kind.CollectionPath(ns) + KubeQuery.ForDryRun(dryRun);
        return Read<T>(await CallAsync(HttpMethod.Post, path, body, KubeClientConstants.JsonMediaType, idempotent: false, ct));
    }

    public async Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        var mediaType = patchType switch
        {
            PatchType.StrategicMerge => KubeClientConstants.StrategicMergePatchMediaType,
            PatchType.Merge => KubeClientConstants.MergePatchMediaType,
            PatchType.Json => KubeClientConstants.JsonPatchMediaType,
            _ => throw new ArgumentOutOfRangeException(nameof(patchType)),
        };
        var path = kind.ObjectPath(ns, name) + KubeQuery.ForDryRun(dryRun);
        return Read<T>(await CallAsync(HttpMethod.Patch, path, Encoding.UTF8.GetBytes(patch), mediaType, idempotent: true, ct));
    }

    public async Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        var body = options is null ? null : Encoding.UTF8.GetBytes(KubeJson.Serialize(options with { ApiVersion = "v1", Kind = "DeleteOptions" }));
        var path = kind.ObjectPath(ns, name) + KubeQuery.ForDryRun(dryRun);
        await CallAsync(HttpMethod.Delete, path, body, body is null ? null : KubeClientConstants.JsonMediaType, idempotent: true, ct);
    }

    public async Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        var deleteOptions = dryRun == DryRun.Server ? (options ?? new DeleteOptions()) with { DryRun = ["All"] } : options;
        var eviction = new Eviction { Metadata = new ObjectMeta { Name = name, Namespace = ns }, DeleteOptions = deleteOptions };
        var path = ResourceKind.Pods.ObjectPath(ns, name) + "/eviction" + KubeQuery.ForDryRun(dryRun);
        // Not retried on an answer: a 429 (PDB) or 500 (several PDBs) is the caller's to handle — drain retries itself.
        await CallAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(KubeJson.Serialize(eviction)), KubeClientConstants.JsonMediaType, idempotent: false, ct);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Decodes a 2xx body; a proxy's HTML or a truncated body becomes a code-0 error naming the server.</summary>
    private T Read<T>(KubeResponse response)
    {
        try { return KubeJson.Deserialize<T>(Encoding.UTF8.GetString(response.Body)); }
        catch (System.Text.Json.JsonException ex)
        {
            throw new KubeApiException(KubeStatuses.ClientSide("InvalidResponse",
                $"the server at {Server} answered with something that is not a {typeof(T).Name.Split('`')[0]} object ({ex.Message.Split('.')[0]}); is the server URL a Kubernetes API server?"), ex);
        }
    }

    private static Uri WithoutUserInfo(Uri server) =>
        server.UserInfo.Length == 0 ? server : new UriBuilder(server) { UserName = "", Password = "" }.Uri;
}
