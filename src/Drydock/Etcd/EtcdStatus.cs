namespace Drydock.Etcd;

/// <summary>Maintenance.Status of one member, as etcdctl endpoint status shows it.</summary>
public sealed record EtcdStatus
{
    public required Uri Endpoint { get; init; }
    public required string Version { get; init; }
    public ulong ClusterId { get; init; }
    public ulong MemberId { get; init; }
    public ulong Leader { get; init; }
    public long Revision { get; init; }
    public ulong RaftTerm { get; init; }
    public ulong RaftIndex { get; init; }
    public ulong RaftAppliedIndex { get; init; }
    public long DbSize { get; init; }
    public long DbSizeInUse { get; init; }
    public bool IsLearner { get; init; }
    /// <summary>Alarms the member reports (e.g. "NOSPACE"); empty when healthy.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
    public bool IsLeader => Leader != 0 && Leader == MemberId;
}

/// <summary>One member of Cluster.MemberList. A member that has not started yet has an empty name.</summary>
public sealed record EtcdMember
{
    public ulong Id { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> PeerUrls { get; init; } = [];
    public IReadOnlyList<string> ClientUrls { get; init; } = [];
    public bool IsLearner { get; init; }
}
