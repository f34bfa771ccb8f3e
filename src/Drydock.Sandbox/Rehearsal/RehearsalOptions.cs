using Drydock.Sandbox.Cluster;
using Drydock.Scheduling;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>What to rehearse and how long each simulated step takes.</summary>
public sealed record RehearsalOptions
{
    /// <summary>Target version, "v1.28.15" or "1.28.15".</summary>
    public required string To { get; init; }
    public int MaxUnavailable { get; init; } = 1;
    public BatchStrategyKind Strategy { get; init; } = BatchStrategyKind.Smart;
    public RehearsalProfile Profile { get; init; } = RehearsalProfile.Typical;
    /// <summary>Durations the operator stated (`--step-duration`): laid over the profile and over the range's low and high.</summary>
    public StepDurationOverrides StepDurations { get; init; } = StepDurationOverrides.None;
    /// <summary>Also rehearse with the low and high profiles to give a duration range.</summary>
    public bool Range { get; init; } = true;
    /// <summary>Drain flags, as for `drydock upgrade`.</summary>
    public bool Force { get; init; }
    public bool DeleteEmptyDirData { get; init; }
    /// <summary>Stop when the run has not finished after this much virtual time.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromHours(48);
    /// <summary>Stop when no step has started or ended for this long (a drain waiting on a PDB that never allows).</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Simulated step durations. Typical follows the seed procedure on a healthy node (apt from pkgs.k8s.io, image
/// already pulled for kubeadm); low/high bracket it for the range. Pods use their own terminationGracePeriodSeconds.
/// </summary>
public sealed record RehearsalProfile
{
    public required string Name { get; init; }
    public TimeSpan InstallPackages { get; init; }
    public TimeSpan SwitchRepository { get; init; }
    public TimeSpan KubeadmPlan { get; init; }
    public TimeSpan KubeadmApply { get; init; }
    public TimeSpan KubeadmNode { get; init; }
    public TimeSpan KubeletRestart { get; init; }
    public TimeSpan PodStart { get; init; }

    public static RehearsalProfile Low { get; } = new()
    {
        Name = "low", InstallPackages = S(8), SwitchRepository = S(1), KubeadmPlan = S(3), KubeadmApply = S(40), KubeadmNode = S(10), KubeletRestart = S(3), PodStart = S(2),
    };

    public static RehearsalProfile Typical { get; } = new()
    {
        Name = "typical", InstallPackages = S(15), SwitchRepository = S(2), KubeadmPlan = S(5), KubeadmApply = S(60), KubeadmNode = S(20), KubeletRestart = S(10), PodStart = S(5),
    };

    public static RehearsalProfile High { get; } = new()
    {
        Name = "high", InstallPackages = S(45), SwitchRepository = S(5), KubeadmPlan = S(10), KubeadmApply = S(180), KubeadmNode = S(60), KubeletRestart = S(30), PodStart = S(30),
    };

    public static RehearsalProfile Named(string name) => name.ToLowerInvariant() switch
    {
        "low" => Low,
        "typical" => Typical,
        "high" => High,
        _ => throw new ArgumentException($"unknown profile {name}: expected low, typical or high"),
    };

    /// <summary>The sandbox options that make its nodes, kubelets and pods take these durations.</summary>
    public SandboxOptions ToSandboxOptions() => new()
    {
        PodStartDelay = PodStart,
        KubeletRestartDuration = KubeletRestart,
        // The driver runs the controllers after every jump; a coarse tick keeps the clock from stopping every 100 ms.
        Tick = TimeSpan.FromHours(1),
        // The upgrade reads ReplicaSets and Deployments only in its snapshot, which writes what was held back first.
        HoldWorkloadStatus = true,
        StepDurations = new NodeStepDurations
        {
            InstallPackages = InstallPackages, SwitchRepository = SwitchRepository, KubeadmPlan = KubeadmPlan,
            KubeadmApply = KubeadmApply, KubeadmNode = KubeadmNode,
        },
    };

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
}
