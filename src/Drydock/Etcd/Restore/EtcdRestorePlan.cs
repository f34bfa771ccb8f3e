namespace Drydock.Etcd.Restore;

public sealed record EtcdRestorePlan
{
    public required IReadOnlyList<RestoreStep> Steps { get; init; }
    public required IReadOnlyList<RestoredMember> Members { get; init; }
    /// <summary>The --initial-cluster every member is restored with.</summary>
    public required string InitialCluster { get; init; }
}
