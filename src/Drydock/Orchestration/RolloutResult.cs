using Drydock.Common;

namespace Drydock.Orchestration;

/// <summary>How a run ended; <see cref="Failure"/> says where it stopped and how to continue.</summary>
public sealed record RolloutResult(RunState State)
{
    public bool Succeeded => State.Status == RunStatus.Completed;
    public RunFailure? Failure => State.Failure;
}

/// <summary>A step failed: node left cordoned; the message names node, step, command, and `--resume`.</summary>
public sealed record RolloutFailedError(RunFailure Failure) : DrydockError(Format(Failure))
{
    private static string Format(RunFailure f) =>
        $"{f.Step} failed on node {f.Node}: {f.Message}" + (f.Command is null ? "" : $" (command: {f.Command}, exit {f.ExitCode})") +
        "; the node is left cordoned. Fix the cause, then run `drydock upgrade --resume` (or `drydock upgrade abort`)";
}

public sealed record RunUnfinishedError(RunState State) : DrydockError(
    $"run {State.RunId} ({State.Plan.Kind.ToString().ToLowerInvariant()}, started {State.StartedAt:u} by {State.Holder}) is {State.Status.ToString().ToLowerInvariant()}, not finished: " +
    "continue it with `drydock upgrade --resume` or stop it with `drydock upgrade abort`");

public sealed record NothingToResumeError(string Why) : DrydockError($"nothing to resume: {Why}; start a new run with `drydock upgrade --to vX.Y.Z`");
