using System.Text.Json.Nodes;
using Drydock.Orchestration;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Drydock.Versions;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Watches a rehearsal: the orchestrator's progress events (per node and step), evictions refused by a PDB (from
/// the client), and the cluster's store after every clock jump — pods nobody can schedule, the version skew of
/// every component pair, and how many etcd members are up.
/// </summary>
internal sealed partial class RehearsalRecorder : IProgress<RolloutEvent>
{
    private readonly SandboxCluster _cluster;
    private readonly DateTimeOffset _start;
    private readonly Dictionary<(int Hop, string Node), NodeTrack> _nodes = [];
    private readonly Dictionary<(int Hop, int Batch), TimeSpan> _batchStarts = [];
    private readonly List<string> _failures = [];
    private DateTimeOffset _lastProgress;
    private int _hop;

    public RehearsalRecorder(SandboxCluster cluster, DateTimeOffset start)
    {
        _cluster = cluster;
        _start = start;
        _lastProgress = start;
        cluster.Store.Changed += OnChanged;
        SeedVersions();
        SeedUnbound();
    }

    public DateTimeOffset LastProgress => _lastProgress;

    private TimeSpan Offset(DateTimeOffset t) => t - _start;

    public void Report(RolloutEvent e)
    {
        _lastProgress = e.Time;
        var at = Offset(e.Time);
        if (e.Hop is int h) _hop = h;
        switch (e.Kind)
        {
            case RolloutEventKind.BatchStarted when e.Batch is int b:
                _batchStarts[(_hop, b)] = at;
                break;
            case RolloutEventKind.NodeStarted when e.Node is not null:
                Track(e).Started ??= at;
                break;
            case RolloutEventKind.StepStarted when e.Node is not null:
                Track(e).Open[e.StepId ?? ""] = (e.Step ?? e.StepId ?? "", at);
                break;
            case RolloutEventKind.StepCompleted or RolloutEventKind.StepSkipped or RolloutEventKind.StepFailed when e.Node is not null:
                var t = Track(e);
                var id = e.StepId ?? "";
                var (name, started) = t.Open.Remove(id, out var o) ? o : (e.Step ?? id, at);
                var outcome = e.Kind switch { RolloutEventKind.StepCompleted => "done", RolloutEventKind.StepSkipped => "skipped", _ => "failed" };
                t.Steps.Add(new StepSpan(id, name, started, at, outcome, e.Kind == RolloutEventKind.StepFailed ? e.Message : null));
                if (e.Kind == RolloutEventKind.StepFailed) _failures.Add($"{e.Node}: {name} failed: {e.Message}");
                break;
            case RolloutEventKind.NodeCompleted when e.Node is not null:
                Track(e).Ended = at;
                break;
            case RolloutEventKind.RunFailed:
                _failures.Add(e.Message ?? "the run failed");
                break;
        }
    }

    private NodeTrack Track(RolloutEvent e)
    {
        if (!_nodes.TryGetValue((_hop, e.Node!), out var t))
            _nodes[(_hop, e.Node!)] = t = new NodeTrack(e.Node!, e.Role?.ToString() ?? "", _hop, e.Batch ?? 0);
        return t;
    }

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Per node and hop: steps (open ones end "running"), in start order.</summary>
    public IReadOnlyList<RehearsedNode> Nodes(TimeSpan end) => _nodes.Values
        .OrderBy(n => n.Hop).ThenBy(n => n.Started ?? TimeSpan.MaxValue).ThenBy(n => n.Name, StringComparer.Ordinal)
        .Select(n => new RehearsedNode(n.Name, n.Role, n.Hop, n.Batch,
            n.Steps.Concat(n.Open.Select(kv => new StepSpan(kv.Key, kv.Value.Name, kv.Value.Start, null, "running")))
                .OrderBy(s => s.Start).ToList()))
        .ToList();

    /// <summary>When each (hop, batch) started; batches run one after another.</summary>
    public IReadOnlyDictionary<(int Hop, int Batch), TimeSpan> BatchStarts => _batchStarts;

    private sealed class NodeTrack(string name, string role, int hop, int batch)
    {
        public string Name { get; } = name;
        public string Role { get; } = role;
        public int Hop { get; } = hop;
        public int Batch { get; } = batch;
        public TimeSpan? Started { get; set; }
        public TimeSpan? Ended { get; set; }
        public List<StepSpan> Steps { get; } = [];
        public Dictionary<string, (string Name, TimeSpan Start)> Open { get; } = new(StringComparer.Ordinal);
    }

    private void OnChanged(StoreChange c)
    {
        if (c.Resource == ServedResource.Nodes) OnNodeChanged(c);
        else if (c.Resource == ServedResource.Pods)
        {
            OnPodChanged(c);
            if (c.Last.Ns() == "kube-system") OnSystemPodChanged(c);
        }
    }

    public void Detach() => _cluster.Store.Changed -= OnChanged;
}
