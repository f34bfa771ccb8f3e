using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using static Drydock.Tests.Drain.TestPods;

namespace Drydock.Tests.Drain;

/// <summary>
/// Which PodDisruptionBudget requests a drain makes under each <see cref="PdbDiagnosisTiming"/>: never a cluster-wide
/// LIST, one LIST per namespace of evicted pods when diagnosing up front, one GET of the named budget per refusal.
/// </summary>
public sealed class PdbDiagnosisTimingTests : IDisposable
{
    private readonly List<ITimer> _timers = [];
    private readonly ManualTimeProvider _time = new(Now);
    private readonly FakeCluster _cluster;
    private readonly NodeDrainer _drainer;
    private readonly RecordingProgress _progress = new();

    public PdbDiagnosisTimingTests()
    {
        _cluster = new FakeCluster(_time);
        _drainer = new NodeDrainer(_cluster, _time);
        _cluster.AddNode("n1");
        _cluster.AddNode("n2");
    }

    public void Dispose() => _timers.ForEach(t => t.Dispose());

    private void At(int seconds, Action action) =>
        _timers.Add(_time.CreateTimer(_ => action(), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan));

    private Task<NodeDrainResult> Drain(DrainOptions options, bool observed, string node = "n1") =>
        VirtualTime.RunAsync(_time, () => _drainer.DrainAsync(node, options, observed ? _progress : null));

    private int PdbLists => _cluster.Count("LIST poddisruptionbudgets");
    private int PdbGets => _cluster.Count("GET poddisruptionbudgets");

    /// <summary>db-0 in prod, blocked by db-pdb until t=12 s; web-1 in default (no budget); a budget in an
    /// unrelated namespace.</summary>
    private void BlockedDbAndWeb(int freedAfterSeconds = 12)
    {
        _cluster.AddPod(Pod("prod", "db-0", "StatefulSet", "db", labels: Labels("db"), grace: 2, uid: "uid-db-0"));
        _cluster.AddPod(Pod("default", "web-1", grace: 1));
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0));
        _cluster.AddPdb(Pdb("other", "other-pdb", Labels("db"), minAvailable: 1));
        At(freedAfterSeconds, () => _cluster.SetPdbAllowed("prod", "db-pdb", 1));
    }

    [Fact]
    public async Task Should_read_no_budget_up_front_when_nobody_observes_and_get_the_named_one_on_refusal()
    {
        // Given a blocked pod and no progress observer
        BlockedDbAndWeb();

        // When drained with the default timing
        var result = await Drain(new DrainOptions(), observed: false);

        // Then no LIST at all; of the refusals at 0, 5, 10 s only the first GETs the budget the server named, for
        // the node's one DrainBlocked event — nobody would see the other diagnoses
        result.Succeeded.Should().BeTrue();
        _cluster.Count("EVICT prod/db-0").Should().Be(4);
        PdbLists.Should().Be(0);
        _cluster.Requests.Where(r => r.StartsWith("GET poddisruptionbudgets", StringComparison.Ordinal))
            .Should().Equal("GET poddisruptionbudgets/db-pdb");
        result.Plan!.Pdbs.Should().BeEmpty("with Auto and no observer the plan carries no diagnosis");
        _cluster.Events.Should().ContainSingle(e => e.Reason == "DrydockDrainBlocked").Which.Message.Should().Contain("prod/db-pdb");
    }

    [Fact]
    public async Task Should_read_no_budget_at_all_when_nobody_observes_and_events_are_off()
    {
        // Given a blocked pod, no observer and no Events
        BlockedDbAndWeb();

        // When drained
        var result = await Drain(new DrainOptions { RecordEvents = false }, observed: false);

        // Then the refusals are retried without reading any budget
        result.Succeeded.Should().BeTrue();
        _cluster.Count("EVICT prod/db-0").Should().Be(4);
        (PdbLists + PdbGets).Should().Be(0);
    }

    [Fact]
    public async Task Should_list_only_the_namespaces_of_evicted_pods_when_someone_observes()
    {
        // Given a blocked pod, a pod in another namespace and a budget in a third one
        BlockedDbAndWeb();

        // When drained with an observer (the CLI)
        var result = await Drain(new DrainOptions(), observed: true);

        // Then one LIST per namespace of an evicted pod, none cluster-wide, and the plan explains db-pdb
        result.Succeeded.Should().BeTrue();
        _cluster.Requests.Where(r => r.StartsWith("LIST poddisruptionbudgets", StringComparison.Ordinal))
            .Should().Equal("LIST poddisruptionbudgets -n default", "LIST poddisruptionbudgets -n prod");
        result.Plan!.Pdbs.Should().ContainSingle().Which.FullName.Should().Be("prod/db-pdb");
        _progress.Of<PodEvictionRetry>().Should().HaveCount(3).And.OnlyContain(r => r.Pdb!.FullName == "prod/db-pdb");
        PdbGets.Should().Be(3);
    }

    [Fact]
    public async Task Should_diagnose_before_evicting_without_an_observer_when_asked()
    {
        // Given a blocked pod and no observer
        BlockedDbAndWeb();

        // When drained with BeforeEvicting
        var result = await Drain(new DrainOptions { DiagnosePdbs = PdbDiagnosisTiming.BeforeEvicting }, observed: false);

        // Then the plan explains the budget
        PdbLists.Should().Be(2);
        result.Plan!.Pdbs.Should().ContainSingle().Which.Outlook.Should().Be(PdbOutlook.WillWait);
    }

    [Fact]
    public async Task Should_still_explain_each_refusal_to_an_observer_when_diagnosing_on_refusal()
    {
        // Given a blocked pod
        BlockedDbAndWeb();

        // When drained with OnRefusal and an observer
        var result = await Drain(new DrainOptions { DiagnosePdbs = PdbDiagnosisTiming.OnRefusal }, observed: true);

        // Then no LIST, an empty plan diagnosis, and each retry names the budget with its numbers
        PdbLists.Should().Be(0);
        result.Plan!.Pdbs.Should().BeEmpty();
        var retries = _progress.Of<PodEvictionRetry>();
        retries.Should().HaveCount(3);
        retries[0].Pdb!.Numbers.Should().Be("minAvailable 2, healthy 2/3 (desired 2), disruptions allowed 0");
    }

    [Fact]
    public async Task Should_list_the_pods_namespace_once_when_the_refusal_names_no_budget()
    {
        // Given a server that refuses without naming the budget (no DisruptionBudget cause)
        BlockedDbAndWeb();
        _cluster.EvictFault = (ns, name) => ns == "prod" && _time.GetUtcNow() < Now.AddSeconds(12)
            ? new KubeApiException(new Status { Code = 429, Reason = "TooManyRequests", Message = DrainConstants.PdbViolationMessage })
            : null;

        // When drained on refusal with an observer
        await Drain(new DrainOptions { DiagnosePdbs = PdbDiagnosisTiming.OnRefusal }, observed: true);

        // Then the three refusals share one LIST of prod and find the covering budget in it, without a GET
        _cluster.Requests.Where(r => r.StartsWith("LIST poddisruptionbudgets", StringComparison.Ordinal))
            .Should().Equal("LIST poddisruptionbudgets -n prod");
        PdbGets.Should().Be(0);
        _progress.Of<PodEvictionRetry>().Should().HaveCount(3).And.OnlyContain(r => r.Pdb!.FullName == "prod/db-pdb");
    }

    [Fact]
    public async Task Should_refuse_a_hopeless_budget_up_front_with_fail_fast_even_without_an_observer()
    {
        // Given a budget that can never allow the eviction
        _cluster.AddPod(Pod("prod", "db-0", "StatefulSet", "db", labels: Labels("db"), uid: "uid-db-0"));
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 3, healthy: 3, desired: 3, expected: 3, allowed: 0));

        // When drained with --fail-fast-on-pdb and no observer (Auto)
        var result = await Drain(new DrainOptions { FailFastOnPdb = true }, observed: false);

        // Then the budgets were read first and nothing was evicted
        result.Error.Should().BeOfType<PdbBlocked>();
        _cluster.Count("EVICT").Should().Be(0);
        PdbLists.Should().Be(1);
    }

    [Fact]
    public async Task Should_read_no_budget_when_eviction_is_disabled()
    {
        // Given a pod covered by a budget
        BlockedDbAndWeb();

        // When drained with --disable-eviction and an observer
        var result = await Drain(new DrainOptions { DisableEviction = true, DiagnosePdbs = PdbDiagnosisTiming.BeforeEvicting }, observed: true);

        // Then DELETE bypasses the budgets and none is read
        result.Succeeded.Should().BeTrue();
        (PdbLists + PdbGets).Should().Be(0);
    }

    [Fact]
    public async Task Should_apply_each_drains_own_retry_delay_through_the_shared_pipeline()
    {
        // Given blocked pods on two nodes, their budget freed 1 s into the first drain
        _cluster.AddPod(Pod("prod", "db-0", "StatefulSet", "db", labels: Labels("db"), grace: 1, uid: "uid-db-0"));
        _cluster.AddPod(Pod("prod", "db-1", "StatefulSet", "db", labels: Labels("db"), grace: 1, uid: "uid-db-1", node: "n2"));
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0));
        At(1, () => _cluster.SetPdbAllowed("prod", "db-pdb", 2));

        // When one drainer drains n1 with a 2 s retry delay, then n2 (blocked again) with 7 s
        var first = await Drain(new DrainOptions { EvictionRetryDelay = TimeSpan.FromSeconds(2) }, observed: true);
        _cluster.SetPdbAllowed("prod", "db-pdb", 0);
        At(4, () => _cluster.SetPdbAllowed("prod", "db-pdb", 1));
        var second = await Drain(new DrainOptions { EvictionRetryDelay = TimeSpan.FromSeconds(7) }, observed: true, node: "n2");

        // Then each drain retried after its own delay (and the pod took 1 s to go)
        first.Duration.Should().Be(TimeSpan.FromSeconds(3));
        second.Duration.Should().Be(TimeSpan.FromSeconds(8));
        _progress.Of<PodEvictionRetry>().Select(r => r.RetryAfter).Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7));
    }
}
