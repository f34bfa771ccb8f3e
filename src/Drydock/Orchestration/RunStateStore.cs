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
    public const string AbortKey = "abort-requested-by";

    public async Task<RunState?> LoadAsync(CancellationToken ct)
    {
        try
        {
            var cm = await kube.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, ct);
            return cm.Data is not null && cm.Data.TryGetValue(DataKey, out var json) ? OrchestrationJson.DeserializeState(json) : null;
        }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    public Task SaveAsync(RunState state, CancellationToken ct) => PatchDataAsync(DataKey, OrchestrationJson.Serialize(state), ct);

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
    private async Task PatchDataAsync(string key, string? value, CancellationToken ct)
    {
        var patch = System.Text.Json.JsonSerializer.Serialize(
            new Dictionary<string, Dictionary<string, string?>> { ["data"] = new() { [key] = value } },
            StringMapJsonContext.Default.DictionaryStringDictionaryStringString);
        if (value is null)
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
                Data = new Dictionary<string, string> { [key] = value },
            }, ct: ct);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, Dictionary<string, string?>>))]
internal sealed partial class StringMapJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
