namespace Drydock.Sandbox.Cluster;

/// <summary>How the simulated cluster behaves. Durations are simulated time (scaled by --time-scale in real time).</summary>
public sealed record SandboxOptions
{
    /// <summary>From a bound pod to Running + Ready.</summary>
    public TimeSpan PodStartDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a restarted kubelet keeps its node NotReady.</summary>
    public TimeSpan KubeletRestartDuration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RebootDuration { get; init; } = TimeSpan.FromSeconds(45);
    /// <summary>Node status heartbeat (nodeStatusReportFrequency); Ready transitions are written at once.</summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Controller tick (how often the loop looks for due work when nothing else wakes it).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Cap on terminationGracePeriodSeconds used by the kubelet (0 = none) — lets demos move faster.</summary>
    public long? MaxGracePeriodSeconds { get; init; }
    /// <summary>Simulated durations of node steps.</summary>
    public NodeStepDurations StepDurations { get; init; } = new();
    public int Seed { get; init; } = 1;
    /// <summary>Fraction (0..1) of API requests answered with an injected 429/500/connection reset.</summary>
    public double FaultRate { get; init; }
    public int WatchLogCapacity { get; init; } = 50_000;
    /// <summary>Hold back ReplicaSet status writes, and with them the Deployment status writes they cause, until a client
    /// reads, writes or watches ReplicaSets or Deployments (a rehearsal: after its snapshot the upgrade reads neither,
    /// and their statuses are a third of a large rehearsal's writes). A reader sees what it would have seen.</summary>
    public bool HoldWorkloadStatus { get; init; }
}

public sealed record NodeStepDurations
{
    public TimeSpan Query { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan SwitchRepository { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan InstallPackages { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan KubeadmPlan { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan KubeadmApply { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan KubeadmNode { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan RunCommand { get; init; } = TimeSpan.FromSeconds(1);
}
