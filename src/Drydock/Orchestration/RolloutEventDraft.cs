namespace Drydock.Orchestration;

/// <summary>An event before the executor stamps time, run id and overall counts on it.</summary>
internal sealed record RolloutEventDraft(RolloutEventKind Kind)
{
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
}

public sealed partial class RolloutExecutor
{
    private async Task EmitAsync(RolloutEventDraft d)
    {
        var state = _state;
        var e = new RolloutEvent
        {
            Kind = d.Kind, Time = _time.GetUtcNow(), RunId = state.RunId, Node = d.Node, Role = d.Role, Hop = d.Hop, Batch = d.Batch,
            Version = d.Version, StepId = d.StepId, Step = d.Step, Command = d.Command, ExitCode = d.ExitCode, Output = d.Output,
            Message = d.Message, Elapsed = d.Elapsed, CompletedSteps = state.CompletedSteps, TotalSteps = state.TotalSteps,
        };
        _progress?.Report(e);
        await _journal.AppendAsync(e, CancellationToken.None);
    }
}
