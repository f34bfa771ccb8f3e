using Drydock.Etcd;
using Drydock.Planning.Preflight;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>
/// The verdict rules for states a single test etcd cannot reach (a lost leader, a NOSPACE alarm, a 1.8 GB database,
/// a learner), over an in-process IEtcdClient that returns fixed statuses: pure logic only.
/// </summary>
public sealed class EtcdHealthVerdictTests
{
    private static readonly Uri A = new("https://10.0.0.1:2379");
    private static readonly Uri B = new("https://10.0.0.2:2379");

    private static EtcdStatus Status(Uri endpoint, ulong id, ulong leader, long db = 20_000, bool learner = false, string[]? errors = null) =>
        new() { Endpoint = endpoint, Version = "3.5.9", MemberId = id, Leader = leader, DbSize = db, IsLearner = learner, Errors = errors ?? [] };

    public static TheoryData<string, EtcdStatus[], PreflightStatus, string> Cases => new()
    {
        { "healthy", [Status(A, 1, 1), Status(B, 2, 1)], PreflightStatus.Pass, "2 etcd endpoint(s) healthy, leader https://10.0.0.1:2379/" },
        { "no leader", [Status(A, 1, 0), Status(B, 2, 0)], PreflightStatus.Fail, "etcd has no leader" },
        { "alarm", [Status(A, 1, 1, errors: ["NOSPACE"]), Status(B, 2, 1)], PreflightStatus.Fail, "etcd alarm(s) raised: NOSPACE" },
        { "near quota", [Status(A, 1, 1, db: 1_800_000_000), Status(B, 2, 1)], PreflightStatus.Warn, "etcd database at 84% of the 2 GiB default quota" },
        { "below warn line", [Status(A, 1, 1, db: 1_600_000_000), Status(B, 2, 1)], PreflightStatus.Pass, "healthy" },
        { "learner", [Status(A, 1, 1), Status(B, 2, 1, learner: true)], PreflightStatus.Warn, "1 etcd learner(s): https://10.0.0.2:2379/" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_judge_member_statuses(string name, EtcdStatus[] statuses, PreflightStatus expected, string summary)
    {
        // Given members answering with these statuses
        await using var client = new FixedEtcd(statuses);

        // When checked
        var result = await new EtcdHealthCheck(client).RunAsync(PreflightContexts.TwoControlPlanes());

        // Then the verdict and the summary follow the rules
        result.Status.Should().Be(expected, name);
        result.Summary.Should().Contain(summary);
        if (expected != PreflightStatus.Pass) result.Remedy.Should().NotBeNullOrEmpty();
    }

    private sealed class FixedEtcd(EtcdStatus[] statuses) : IEtcdClient
    {
        public IReadOnlyList<Uri> Endpoints => [.. statuses.Select(s => s.Endpoint)];
        public Task<EtcdStatus> StatusAsync(Uri? endpoint = null, CancellationToken ct = default) => Task.FromResult(statuses.Single(s => s.Endpoint == endpoint));
        public Task<IReadOnlyList<EtcdMember>> MemberListAsync(CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<EtcdMember>>([.. statuses.Select(s => new EtcdMember { Id = s.MemberId, Name = "m" + s.MemberId, IsLearner = s.IsLearner })]);
        public Task<long> CountAsync(byte[] key, byte[] rangeEnd, CancellationToken ct = default) => throw new NotSupportedException();
        public IAsyncEnumerable<SnapshotChunk> SnapshotAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
