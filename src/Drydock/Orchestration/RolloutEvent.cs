namespace Drydock.Orchestration;

public enum RolloutEventKind
{
    RunStarted, RunResumed, HopStarted, BatchStarted, NodeStarted, StepStarted, StepSkipped, StepCompleted, StepFailed,
    NodeCompleted, HopVerified, RunCompleted, RunFailed, RunAborted, RunInterrupted, Message,
}

/// <summary>
/// A progress event (what the CLI renders live, prints as a line, or writes as one JSON line with -o json).
/// Carries enough for a view: node, role, batch, step, version, elapsed, and overall counts for a bar and ETA.
/// </summary>
public sealed record RolloutEvent
{
    public required RolloutEventKind Kind { get; init; }
    /// <summary>Stamped by the executor when the event is emitted.</summary>
    public DateTimeOffset Time { get; init; }
    public string RunId { get; init; } = "";
    public string? Node { get; init; }
    public NodeRole? Role { get; init; }
    public int? Hop { get; init; }
    public int? Batch { get; init; }
    public string? Version { get; init; }
    public string? StepId { get; init; }
    public string? Step { get; init; }
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    public string? Output { get; init; }
    public string? Message { get; init; }
    public TimeSpan? Elapsed { get; init; }
    public int CompletedSteps { get; init; }
    public int TotalSteps { get; init; }
}
