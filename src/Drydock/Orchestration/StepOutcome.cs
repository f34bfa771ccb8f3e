using Drydock.Nodes;

namespace Drydock.Orchestration;

/// <summary>What one procedure step came to: done (with the agent's result, if any), skipped as already done, or failed.</summary>
internal abstract record StepOutcome
{
    public sealed record Done(NodeStepResult? Result, string? Note = null) : StepOutcome;
    public sealed record Skipped(string Reason) : StepOutcome;
    public sealed record Failed(RunFailure Failure) : StepOutcome;
}
