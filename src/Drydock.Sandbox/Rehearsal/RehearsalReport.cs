namespace Drydock.Sandbox.Rehearsal;

/// <summary>What a rehearsal predicts: the timeline, every PDB wait and unschedulable pod, skew and etcd quorum throughout.</summary>
public sealed record RehearsalReport
{
    public required string Source { get; init; }
    public required string FromVersion { get; init; }
    public required string ToVersion { get; init; }
    public required string Strategy { get; init; }
    public required int MaxUnavailable { get; init; }
    public required string Profile { get; init; }
    /// <summary>True when the orchestrator completed the run.</summary>
    public required bool Finished { get; init; }
    /// <summary>Why it would not finish (a failed step, a drain that waits forever, the time limit); null when it finishes.</summary>
    public string? WouldNotFinish { get; init; }
    public required DateTimeOffset Start { get; init; }
    /// <summary>Predicted duration with the chosen profile (to the stop, when it would not finish).</summary>
    public required TimeSpan Duration { get; init; }
    /// <summary>Range over the low and high step-duration profiles (null when not rehearsed).</summary>
    public TimeSpan? DurationLow { get; init; }
    public TimeSpan? DurationHigh { get; init; }
    public IReadOnlyList<RehearsedBatch> Batches { get; init; } = [];
    public IReadOnlyList<RehearsedNode> Nodes { get; init; } = [];
    public IReadOnlyList<PdbWait> PdbWaits { get; init; } = [];
    public IReadOnlyList<UnschedulablePod> Unschedulable { get; init; } = [];
    public IReadOnlyList<TimedFinding> SkewViolations { get; init; } = [];
    public required QuorumSummary Quorum { get; init; }
    public IReadOnlyList<string> Findings { get; init; } = [];
    public required RehearsalStats Stats { get; init; }
}

public sealed record RehearsedBatch(int Hop, int Index, IReadOnlyList<string> Nodes, TimeSpan Start, TimeSpan? End, string Reason);

public sealed record RehearsedNode(string Name, string Role, int Hop, int Batch, IReadOnlyList<StepSpan> Steps)
{
    public TimeSpan? Start => Steps.Count == 0 ? null : Steps.Min(s => s.Start);
    public TimeSpan? End => Steps.Count == 0 || Steps.Any(s => s.End is null) ? null : Steps.Max(s => s.End);
}

/// <summary>One procedure step on one node; offsets from the rehearsal start. Outcome: done, skipped, failed, running (never ended).</summary>
public sealed record StepSpan(string StepId, string Step, TimeSpan Start, TimeSpan? End, string Outcome, string? Message = null);

/// <summary>A drain waiting on a PDB: the evicted pod, the budget's numbers when the wait began, and what it waits for.</summary>
public sealed record PdbWait
{
    public required string Node { get; init; }
    public required string Pod { get; init; }
    public required string Pdb { get; init; }
    public required TimeSpan Start { get; init; }
    /// <summary>When the eviction went through; null when it never did.</summary>
    public TimeSpan? End { get; init; }
    public required string Budget { get; init; }
    public int ExpectedPods { get; init; }
    public int CurrentHealthy { get; init; }
    public int DesiredHealthy { get; init; }
    public int DisruptionsAllowed { get; init; }
    /// <summary>The pods that must become healthy before the eviction can go through ("pod on node (not Ready)"), or why none can.</summary>
    public required string WaitsFor { get; init; }
    public int Retries { get; init; }
}

public sealed record UnschedulablePod(string Pod, TimeSpan Start, TimeSpan? End, string Reason);

public sealed record TimedFinding(TimeSpan At, string Message);

/// <summary>etcd members (etcd static pods Ready) over the run.</summary>
public sealed record QuorumSummary(int Members, int MinUp, TimeSpan? MinUpAt, bool QuorumAlwaysKept);

public sealed record RehearsalStats(long VirtualJumps, TimeSpan WallTime, long ApiRequests, long EvictionsAccepted, long EvictionsRejected, int PdbViolations);
