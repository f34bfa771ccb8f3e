namespace Drydock.Drain;

/// <summary>
/// kubectl's defaults and message texts (pkg/drain, observed on kubectl 1.32), kept next to each other so the
/// wording users know from kubectl stays identical.
/// </summary>
public static class DrainConstants
{
    public const int DefaultChunkSize = 500;

    /// <summary>Negative grace period: leave gracePeriodSeconds out so the pod's own terminationGracePeriodSeconds applies.</summary>
    public const int PodOwnGracePeriod = -1;

    /// <summary>kubectl sleeps a fixed 5 s between evictions refused with 429.</summary>
    public static readonly TimeSpan EvictionRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Interval of the polling fallback used only when the watch on the node's pods cannot be kept open.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    public const string DaemonSetFatal = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
    public const string DaemonSetWarning = "ignoring DaemonSet-managed Pods";
    public const string LocalStorageFatal = "Pods with local storage (use --delete-emptydir-data to override)";
    public const string LocalStorageWarning = "deleting Pods with local storage";
    public const string UnmanagedFatal = "Pods that declare no controller (use --force to override)";
    public const string UnmanagedWarning = "deleting Pods that declare no controller";

    public const string PdbViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>Event reasons posted on the Node (core/v1 Event, involvedObject = the Node).</summary>
    public const string EventReasonCordon = "DrydockCordon";
    public const string EventReasonUncordon = "DrydockUncordon";
    public const string EventReasonDrainStarted = "DrydockDrainStarted";
    public const string EventReasonDrainBlocked = "DrydockDrainBlocked";
    public const string EventReasonDrained = "DrydockDrained";
    public const string EventReasonDrainFailed = "DrydockDrainFailed";
}
