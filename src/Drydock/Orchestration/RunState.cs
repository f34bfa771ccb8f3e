namespace Drydock.Orchestration;

public enum RunStatus { Running, Failed, Interrupted, Completed, Aborted }

public enum NodePhase { Pending, Running, Done, Failed }

/// <summary>
/// Everything needed to resume a run after a crash, kept in the cluster (ConfigMap kube-system/drydock-upgrade-state)
/// and mirrored to the local journal: the plan itself, each node's completed step ids and what the node looked like
/// before Drydock touched it (kured: "already cordoned" nodes stay cordoned).
/// </summary>
public sealed record RunState
{
    public required string RunId { get; init; }
    public required RolloutPlan Plan { get; init; }
    public RunStatus Status { get; init; } = RunStatus.Running;
    public required string Holder { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Keyed by <see cref="Key"/> ("hop/node"), in plan order. Any dictionary can be given; it is held as a
    /// <see cref="NodeProgressMap"/>, which is what this returns.</summary>
    public IReadOnlyDictionary<string, NodeProgress> Nodes
    {
        get => Progress;
        init
        {
            _nodes = value;
            _map = value as NodeProgressMap;
        }
    }

    private readonly IReadOnlyDictionary<string, NodeProgress> _nodes = new Dictionary<string, NodeProgress>();
    private NodeProgressMap? _map;

    public RunFailure? Failure { get; init; }
    /// <summary>Set by `drydock upgrade abort` while another process runs: it stops after its current steps.</summary>
    public bool AbortRequested { get; init; }

    /// <summary>The progress as a map laid out for <see cref="Plan"/> (built once from whatever <see cref="Nodes"/> was given).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public NodeProgressMap Progress
    {
        get
        {
            if (_map is { } map && ReferenceEquals(map.Layout.Plan, Plan)) return map;
            // Racing first reads build equal maps; either may stay.
            return _map = NodeProgressMap.From(RunLayout.For(Plan), _nodes);
        }
    }

    public static string Key(int hop, string node) => $"{hop}/{node}";

    public NodeProgress NodeAt(int hop, string node) =>
        Progress.TryGetValue(Key(hop, node), out var p) ? p : new NodeProgress { Node = node, Hop = hop };

    /// <summary>This state with one node's progress replaced: copies one 64-node shard, not every node.</summary>
    public RunState WithNode(NodeProgress progress, DateTimeOffset now) => this with { Nodes = Progress.With(progress), UpdatedAt = now };

    public int TotalSteps => Progress.Layout.TotalSteps;

    public int CompletedSteps => Progress.CompletedSteps;
}

public sealed record NodeProgress
{
    public required string Node { get; init; }
    public required int Hop { get; init; }
    public NodePhase Phase { get; init; } = NodePhase.Pending;
    public IReadOnlyList<string> CompletedSteps { get; init; } = [];
    public string? CurrentStep { get; init; }
    /// <summary>Recorded once, before the first step: was the node cordoned before Drydock came?</summary>
    public bool? WasCordoned { get; init; }
    /// <summary>status.nodeInfo.bootID before maintenance, to recognise a completed reboot.</summary>
    public string? BootIdBefore { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Steps found already done and skipped (with why), for the report.</summary>
    public IReadOnlyList<string> SkippedSteps { get; init; } = [];
}

/// <summary>Where and why a run stopped: node, step, the exact command and its output.</summary>
public sealed record RunFailure
{
    public required string Node { get; init; }
    public required string StepId { get; init; }
    public required string Step { get; init; }
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    public string Output { get; init; } = "";
    public required string Message { get; init; }
    public DateTimeOffset At { get; init; }
}
