namespace Drydock.Orchestration;

/// <summary>One options object for the orchestrator; defaults in <see cref="RolloutConstants"/>.</summary>
public sealed record RolloutOptions
{
    /// <summary>Lock holder identity, "user@host pid N".</summary>
    public required string Identity { get; init; }
    public TimeSpan PollInterval { get; init; } = RolloutConstants.PollInterval;
    public TimeSpan NodeReadyTimeout { get; init; } = RolloutConstants.NodeReadyTimeout;
    public TimeSpan ControlPlaneHealthTimeout { get; init; } = RolloutConstants.ControlPlaneHealthTimeout;
    public TimeSpan RebootTimeout { get; init; } = RolloutConstants.RebootTimeout;
    /// <summary>Create a Kubernetes Event on the Node for each phase (best effort).</summary>
    public bool RecordNodeEvents { get; init; } = true;
    /// <summary>A run id for new runs (tests fix it; otherwise derived from the clock).</summary>
    public string? RunId { get; init; }

    public static string DefaultIdentity() =>
        $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId}";
}
