using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>Where a run's state survives a crash of the process that runs it.</summary>
public interface IRunStateStore
{
    Task<RunState?> LoadAsync(CancellationToken ct);
    Task SaveAsync(RunState state, CancellationToken ct);

    /// <summary>An abort request lives apart from the state, so the running orchestrator's own saves cannot erase it.</summary>
    Task RequestAbortAsync(string requester, CancellationToken ct);
    /// <summary>Who asked the run to stop, or null.</summary>
    Task<string?> AbortRequestAsync(CancellationToken ct);
    Task ClearAbortRequestAsync(CancellationToken ct);
}

/// <summary>
/// The state as one JSON document in a ConfigMap (default kube-system/drydock-upgrade-state, key state.json):
/// in the cluster, so any operator's `drydock upgrade --resume|status|abort` finds it.
/// </summary>
public sealed class ConfigMapRunStateStore(IKubeClient kube, string ns = RolloutConstants.Namespace, string name = RolloutConstants.StateConfigMap) : IRunStateStore
{
    public const string DataKey = "state.json";
    /// <summary>The state gzipped in binaryData once its JSON passes <see cref="CompressAbove"/>.</summary>
    public const string CompressedKey = "state.json.gz";
    /// <summary>
    /// A ConfigMap holds at most 1 MiB (data and binaryData together), and a run's state grows with the node count
    /// (plan, batches, steps per node): ~0.5 KiB a node passes the limit near 2,000 nodes. Past 256 KiB the state is
    /// stored gzipped (about a tenth of the size); below it stays plain JSON that `kubectl get cm -o yaml` shows.
    /// </summary>
    public const int CompressAbove = 256 * 1024;
    public const string AbortKey = "abort-requested-by";

    public async Task<RunState?> LoadAsync(CancellationToken ct)
    {
        try
        {
            var cm = await kube.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, ct);
            if (cm.BinaryData is not null && cm.BinaryData.TryGetValue(CompressedKey, out var packed))
                return OrchestrationJson.DeserializeState(Gunzip(packed));
            return cm.Data is not null && cm.Data.TryGetValue(DataKey, out var json) ? OrchestrationJson.DeserializeState(json) : null;
        }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    public async Task SaveAsync(RunState state, CancellationToken ct)
    {
        var json = OrchestrationJson.Serialize(state);
        if (System.Text.Encoding.UTF8.GetByteCount(json) <= CompressAbove)
        {
            await PatchDataAsync(DataKey, json, ct, binaryKey: CompressedKey, binaryValue: null);
            return;
        }
        await PatchDataAsync(DataKey, null, ct, binaryKey: CompressedKey, binaryValue: Gzip(json), createIfMissing: true);
    }

    private static string Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(json));
        return Convert.ToBase64String(buffer.ToArray());
    }

    private static string Gunzip(string base64)
    {
        using var gz = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(base64)), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gz, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public Task RequestAbortAsync(string requester, CancellationToken ct) => PatchDataAsync(AbortKey, requester, ct);

    public Task ClearAbortRequestAsync(CancellationToken ct) => PatchDataAsync(AbortKey, null, ct);

    public async Task<string?> AbortRequestAsync(CancellationToken ct)
    {
        try
        {
            var cm = await kube.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, ct);
            return cm.Data?.GetValueOrDefault(AbortKey) is { Length: > 0 } who ? who : null;
        }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    /// <summary>JSON merge patch of one data key (null removes it); creates the ConfigMap on first use.</summary>
    private async Task PatchDataAsync(string key, string? value, CancellationToken ct, string? binaryKey = null, string? binaryValue = null, bool createIfMissing = false)
    {
        var body = new Dictionary<string, Dictionary<string, string?>> { ["data"] = new() { [key] = value } };
        if (binaryKey is not null) body["binaryData"] = new() { [binaryKey] = binaryValue };
        var patch = System.Text.Json.JsonSerializer.Serialize(body, StringMapJsonContext.Default.DictionaryStringDictionaryStringString);
        if (value is null && !createIfMissing)
        {
            try { await kube.PatchAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, PatchType.Merge, patch, ct: ct); }
            catch (KubeApiException ex) when (ex.IsNotFound) { }
            return;
        }
        try
        {
            await kube.PatchAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, PatchType.Merge, patch, ct: ct);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            await kube.CreateAsync(ResourceKind.ConfigMaps, ns, new ConfigMap
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "drydock" } },
                Data = value is null ? null : new Dictionary<string, string> { [key] = value },
                BinaryData = binaryKey is not null && binaryValue is not null ? new Dictionary<string, string> { [binaryKey] = binaryValue } : null,
            }, ct: ct);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, Dictionary<string, string?>>))]
internal sealed partial class StringMapJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
