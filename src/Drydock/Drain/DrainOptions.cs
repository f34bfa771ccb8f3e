namespace Drydock.Drain;

/// <summary>One node drain's settings, with kubectl's flag names and defaults (see <see cref="DrainConstants"/>).</summary>
public sealed record DrainOptions
{
    /// <summary>--force: also remove pods that declare no controller, and pods whose DaemonSet is gone.</summary>
    public bool Force { get; init; }

    /// <summary>--ignore-daemonsets: leave DaemonSet pods in place (warning) instead of failing.</summary>
    public bool IgnoreDaemonSets { get; init; }

    /// <summary>--delete-emptydir-data (old name --delete-local-data): remove running pods with emptyDir volumes.</summary>
    public bool DeleteEmptyDirData { get; init; }

    /// <summary>--disable-eviction: plain DELETE, PodDisruptionBudgets are not consulted.</summary>
    public bool DisableEviction { get; init; }

    /// <summary>--grace-period: negative = the pod's own terminationGracePeriodSeconds; 0 is sent as is.</summary>
    public int GracePeriodSeconds { get; init; } = DrainConstants.PodOwnGracePeriod;

    /// <summary>--timeout for evicting and waiting on one node; <see cref="TimeSpan.Zero"/> = wait forever.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.Zero;

    /// <summary>--skip-wait-for-delete-timeout: N &gt; 0 skips pods whose deletionTimestamp is more than N s old.</summary>
    public int SkipWaitForDeleteTimeoutSeconds { get; init; }

    /// <summary>--pod-selector: only pods matching this label selector are considered at all.</summary>
    public string? PodSelector { get; init; }

    /// <summary>--chunk-size: page size of LIST calls; 0 disables paging.</summary>
    public int ChunkSize { get; init; } = DrainConstants.DefaultChunkSize;

    public DryRunMode DryRun { get; init; } = DryRunMode.None;

    /// <summary>--fail-fast-on-pdb: fail the node at the first PDB refusal (or before evicting anything when a PDB
    /// can never allow the drain) instead of retrying every 5 s.</summary>
    public bool FailFastOnPdb { get; init; }

    /// <summary>When PodDisruptionBudgets are read to explain them: up front for the plan, or only once one refuses
    /// an eviction (fewer requests for unattended drains).</summary>
    public PdbDiagnosisTiming DiagnosePdbs { get; init; } = PdbDiagnosisTiming.Auto;

    /// <summary>Cordon the node before draining it (the CLI cordons every node first and turns this off).</summary>
    public bool Cordon { get; init; } = true;

    /// <summary>Post Kubernetes Events on the node (cordon, drain started/blocked/done).</summary>
    public bool RecordEvents { get; init; } = true;

    /// <summary>Delay between evictions refused with 429 (kubectl: 5 s).</summary>
    public TimeSpan EvictionRetryDelay { get; init; } = DrainConstants.EvictionRetryDelay;

    /// <summary>Extra filters run after kubectl's built-in ones.</summary>
    public IReadOnlyList<DrainFilter> AdditionalFilters { get; init; } = [];
}
