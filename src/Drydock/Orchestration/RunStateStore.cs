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

    /// <summary>
    /// Who had asked the run to stop as of this store's latest save (a write answers with the whole stored object),
    /// or null: lets the caller skip a read of its own when it saved a moment ago.
    /// </summary>
    string? AbortRequestSeenBySave { get; }
}

/// <summary>
/// The state in a ConfigMap (default kube-system/drydock-upgrade-state), in the cluster so any operator's
/// `drydock upgrade --resume|status|abort` finds it. Format 2 (see README.md next to this file): a small
/// <see cref="HeaderKey"/>, the plan once in <see cref="PlanKey"/>, per-node progress in shards of 64 nodes; each save
/// patches the header and only the shards that changed since this store's last save. Format 1 (one
/// <see cref="LegacyKey"/>) still loads, so a run started by an older drydock resumes.
/// </summary>
public sealed class ConfigMapRunStateStore(IKubeClient kube, string ns = RolloutConstants.Namespace, string name = RolloutConstants.StateConfigMap) : IRunStateStore
{
    public const string AbortKey = "abort-requested-by";
    public const string HeaderKey = RunStateFormat.HeaderKey;
    public const string PlanKey = RunStateFormat.PlanKey;
    /// <summary>Format 1: the whole state as one JSON document (gzipped in binaryData as <see cref="LegacyCompressedKey"/> when large).</summary>
    public const string LegacyKey = RunStateFormat.LegacyKey;
    public const string LegacyCompressedKey = RunStateFormat.LegacyCompressedKey;

    /// <summary>The state this store last loaded or saved, and the state keys the ConfigMap held then: what the next save diffs against.</summary>
    private (RunState? State, IReadOnlySet<string> Keys)? _stored;

    public string? AbortRequestSeenBySave { get; private set; }

    public async Task<RunState?> LoadAsync(CancellationToken ct)
    {
        var cm = await GetAsync(ct);
        if (cm is null) return null;
        var state = RunStateFormat.Decode(cm);
        // A format-1 state is no base for patches: the next save writes format 2 whole and removes state.json.
        _stored = (RunStateFormat.IsCurrent(cm) ? state : null, RunStateFormat.StateKeys(cm));
        return state;
    }

    public async Task SaveAsync(RunState state, CancellationToken ct)
    {
        var stored = _stored;
        if (stored is null)
        {
            // First save of this store: learn which keys a previous run (or format) left, to remove them.
            var cm = await GetAsync(ct);
            stored = (null, cm is null ? new HashSet<string>() : RunStateFormat.StateKeys(cm));
        }
        var changes = RunStateFormat.Changes(state, stored.Value.State, stored.Value.Keys);
        var body = RunStateFormat.MergePatch(changes);
        ConfigMap written;
        try
        {
            written = await kube.PatchAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, PatchType.Merge, body, ct: ct);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            // Deleted meanwhile (or never made): a new ConfigMap needs the whole state, not only what changed.
            changes = RunStateFormat.Changes(state, null, new HashSet<string>());
            written = await CreateAsync(changes.Data, changes.BinaryData, ct);
        }
        AbortRequestSeenBySave = AbortRequester(written);
        _stored = (state, changes.KeysAfter);
    }

    public Task RequestAbortAsync(string requester, CancellationToken ct) => PatchAbortAsync(requester, ct);

    public Task ClearAbortRequestAsync(CancellationToken ct) => PatchAbortAsync(null, ct);

    public async Task<string?> AbortRequestAsync(CancellationToken ct) => AbortRequester(await GetAsync(ct));

    private static string? AbortRequester(ConfigMap? cm) => cm?.Data?.GetValueOrDefault(AbortKey) is { Length: > 0 } who ? who : null;

    private async Task<ConfigMap?> GetAsync(CancellationToken ct)
    {
        try { return await kube.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, ct); }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    /// <summary>Sets (or with null removes) the abort request; a request creates the ConfigMap if there is none.</summary>
    private async Task PatchAbortAsync(string? requester, CancellationToken ct)
    {
        var data = new Dictionary<string, string?> { [AbortKey] = requester };
        try
        {
            await kube.PatchAsync<ConfigMap>(ResourceKind.ConfigMaps, ns, name, PatchType.Merge, RunStateFormat.MergePatch(new(data, NoKeys, new HashSet<string>())), ct: ct);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            if (requester is not null) await CreateAsync(data, NoKeys, ct);
        }
    }

    private static readonly IReadOnlyDictionary<string, string?> NoKeys = new Dictionary<string, string?>();

    private Task<ConfigMap> CreateAsync(IReadOnlyDictionary<string, string?> data, IReadOnlyDictionary<string, string?> binaryData, CancellationToken ct) =>
        kube.CreateAsync(ResourceKind.ConfigMaps, ns, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "drydock" } },
            Data = NonNull(data),
            BinaryData = NonNull(binaryData),
        }, ct: ct);

    private static Dictionary<string, string>? NonNull(IReadOnlyDictionary<string, string?> values) =>
        values.Any(kv => kv.Value is not null) ? values.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!) : null;
}
