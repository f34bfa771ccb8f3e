namespace Drydock.Orchestration;

public static class RolloutConstants
{
    public const string Namespace = "kube-system";
    public const string StateConfigMap = "drydock-upgrade-state";
    public const string LockLease = "drydock-lock";
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan LeaseRenewInterval = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan NodeReadyTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ControlPlaneHealthTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RebootTimeout = TimeSpan.FromMinutes(15);
    /// <summary>Output kept in the cluster state for a failure (the journal keeps all of it).</summary>
    public const int FailureOutputLimit = 4000;
}
