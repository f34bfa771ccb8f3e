using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>Where a run's state survives a crash of the process that runs it.</summary>
public interface IRunStateStore
{
    Task<RunState?> LoadAsync(CancellationToken ct);
    Task SaveAsync(RunState state, CancellationToken ct);
}

/// <summary>
/// The state as one JSON document in a ConfigMap (default kube-system/drydock-upgrade-state, key state.json):
/// in the cluster, so any operator's `drydock upgrade --resume|status|abort` finds it.
/// </summary>
public sealed class ConfigMapRunStateStore(IKubeClient kube, string ns = RolloutConstants.Namespace, string name = RolloutConstants.StateConfigMap) : IRunStateStore
{
    public const string DataKey = "state.json";

    public async Task<RunState?> LoadAsync(CancellationToken ct)
    {
        try
        {
            var cm = await kube.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, ct);
            return cm.Data is not null && cm.Data.TryGetValue(DataKey, out var json) ? OrchestrationJson.DeserializeState(json) : null;
        }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    public async Task SaveAsync(RunState state, CancellationToken ct)
    {
        var json = OrchestrationJson.Serialize(state);
        var patch = System.Text.Json.JsonSerializer.Serialize(
            new Dictionary<string, Dictionary<string, string>> { ["data"] = new() { [DataKey] = json } },
            StringMapJsonContext.Default.DictionaryStringDictionaryStringString);
        try
        {
            await kube.PatchAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, PatchType.Merge, patch, ct: ct);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            await kube.CreateAsync(ResourceKind.ConfigMaps, ns, new ConfigMap
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "drydock" } },
                Data = new Dictionary<string, string> { [DataKey] = json },
            }, ct: ct);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class StringMapJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
