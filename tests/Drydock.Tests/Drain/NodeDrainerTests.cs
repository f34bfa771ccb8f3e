using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using static Drydock.Tests.Drain.TestPods;

namespace Drydock.Tests.Drain;

/// <summary>The executor in virtual time against <see cref="FakeCluster"/>: every wait reads the manual clock.</summary>
public sealed class NodeDrainerTests
{
    private readonly ManualTimeProvider _time = new(Now);
    private readonly FakeCluster _cluster;
    private readonly NodeDrainer _drainer;
    private readonly RecordingProgress _progress = new();

    public NodeDrainerTests()
    {
        _cluster = new FakeCluster(_time);
        _drainer = new NodeDrainer(_cluster, _time);
        _cluster.AddNode("n1");
        _cluster.AddNode("n2");
    }

    private Task<NodeDrainResult> Drain(DrainOptions? options = null, TimeSpan? limit = null) =>
        VirtualTime.RunAsync(_time, () => _drainer.DrainAsync("n1", options ?? new DrainOptions(), _progress), limit);

    private void AddDb(string name = "db-0", long grace = 2) =>
        _cluster.AddPod(Pod("prod", name, "StatefulSet", "db", labels: Labels("db"), grace: grace, uid: $"uid-{name}"));

    [Fact]
    public async Task Should_evict_every_pod_at_once_and_finish_when_the_last_is_gone()
    {
        // Given three replicated pods with grace periods 1, 2 and 3 s
        for (var i = 1; i <= 3; i++) _cluster.AddPod(Pod("default", $"web-{i}", grace: i));

        // When the node is drained
        var result = await Drain();

        // Then all are evicted, the drain ends exactly when the slowest pod is gone, learned from one watch
        result.Succeeded.Should().BeTrue();
        result.Evicted.Select(e => e.Pod.Name).Should().BeEquivalentTo("web-1", "web-2", "web-3");
        result.Duration.Should().Be(TimeSpan.FromSeconds(3));
        result.Evicted.Single(e => e.Pod.Name == "web-2").Took.Should().Be(TimeSpan.FromSeconds(2));
        _cluster.Count("WATCH").Should().Be(1);
        _cluster.Count("GET pods").Should().Be(0, "deletion is learned from the watch, not by polling each pod");
        _cluster.Count("EVICT").Should().Be(3);
        _cluster.Node("n1").Spec!.Unschedulable.Should().BeTrue();
        _cluster.Events.Select(e => e.Reason).Should().Equal("DrydockCordon", "DrydockDrainStarted", "DrydockDrained");
        _cluster.Events.Should().OnlyContain(e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == "n1");
        _progress.Of<PodGone>().Should().HaveCount(3);
    }

    [Fact]
    public async Task Should_cordon_with_kubectls_patch_and_not_write_when_already_cordoned()
    {
        // Given a schedulable node
        // When it is cordoned twice and uncordoned
        var first = await _drainer.CordonAsync("n1");
        var second = await _drainer.CordonAsync("n1");
        var third = await _drainer.UncordonAsync("n1");

        // Then one strategic-merge patch each way, none for "already cordoned"
        first.Changed.Should().BeTrue();
        second.Changed.Should().BeFalse();
        third.Changed.Should().BeTrue();
        _cluster.Patches.Should().Equal("""n1 {"spec":{"unschedulable":true}}""", """n1 {"spec":{"unschedulable":null}}""");
    }

    [Fact]
    public async Task Should_fail_the_node_when_the_cordon_fails_unlike_kubectl()
    {
        // Given a node whose PATCH is refused (kubectl prints the error and exits 0, kubernetes#89008)
        _cluster.AddPod(Pod("default", "web-1"));
        _cluster.PatchFault = (_, _) => new KubeApiException(new Status { Code = 403, Reason = "Forbidden", Message = "nodes \"n1\" is forbidden: no patch for you" });

        // When the node is drained
        var result = await Drain();

        // Then the drain fails without evicting anything
        result.Error.Should().BeOfType<CordonFailed>().Which.Message.Should().Be("unable to cordon node \"n1\": nodes \"n1\" is forbidden: no patch for you");
        _cluster.Count("EVICT").Should().Be(0);
    }

    [Fact]
    public async Task Should_retry_a_pdb_refusal_every_5s_naming_the_budget_until_it_frees_up()
    {
        // Given a pod whose budget allows no disruption until a replica elsewhere becomes healthy at t=12s
        AddDb();
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0));
        using var freed = _time.CreateTimer(_ => _cluster.SetPdbAllowed("prod", "db-pdb", 1), null, TimeSpan.FromSeconds(12), Timeout.InfiniteTimeSpan);

        // When the node is drained
        var result = await Drain();

        // Then attempts at 0, 5, 10 are refused, the one at 15 s succeeds, the pod is gone 2 s later
        result.Succeeded.Should().BeTrue();
        result.Duration.Should().Be(TimeSpan.FromSeconds(17));
        var retries = _progress.Of<PodEvictionRetry>();
        retries.Should().HaveCount(3);
        retries[0].Message.Should().Be("error when evicting pods/\"db-0\" -n \"prod\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
        retries[0].Pdb!.FullName.Should().Be("prod/db-pdb");
        retries[0].Pdb!.Numbers.Should().Be("minAvailable 2, healthy 2/3 (desired 2), disruptions allowed 0");
        retries[0].Pdb!.Outlook.Should().Be(PdbOutlook.WillWait, "a healthy replica runs elsewhere");
        _cluster.Events.Count(e => e.Reason == "DrydockDrainBlocked").Should().Be(1);
    }

    [Fact]
    public async Task Should_stop_at_the_timeout_without_sleeping_past_it()
    {
        // Given a budget that never allows the eviction
        AddDb();
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0));

        // When drained with --timeout=12s (kubectl ends at ~15 s: it sleeps the full 5 s first)
        var result = await Drain(new DrainOptions { Timeout = TimeSpan.FromSeconds(12) });

        // Then the node fails at 12 s exactly, stays cordoned and lists the pod still there
        result.Error.Should().BeOfType<DrainTimedOut>().Which.Message
            .Should().Be("error when evicting pods/\"db-0\" -n \"prod\": global timeout reached: 12s");
        result.Duration.Should().Be(TimeSpan.FromSeconds(12));
        result.PendingPods.Should().Equal("prod/db-0");
        _cluster.Node("n1").Spec!.Unschedulable.Should().BeTrue();
        _cluster.Events.Select(e => e.Reason).Should().Contain("DrydockDrainFailed");
    }

    [Fact]
    public async Task Should_report_a_pod_that_does_not_terminate_in_time()
    {
        // Given a pod with a 60 s grace period
        _cluster.AddPod(Pod("prod", "slow", grace: 60));

        // When drained with --timeout=10s
        var result = await Drain(new DrainOptions { Timeout = TimeSpan.FromSeconds(10) });

        // Then the wait times out with kubectl's text
        result.Error!.Message.Should().Be("error when waiting for pod \"slow\" in namespace \"prod\" to terminate: context deadline exceeded");
        result.Duration.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_fail_fast_on_the_first_pdb_refusal()
    {
        // Given a budget allowing no disruption right now
        AddDb();
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 1, healthy: 2, desired: 1, expected: 3, allowed: 0));

        // When drained with --fail-fast-on-pdb
        var result = await Drain(new DrainOptions { FailFastOnPdb = true });

        // Then one attempt, an immediate failure naming the budget
        var error = result.Error.Should().BeOfType<PdbBlocked>().Subject;
        error.Message.Should().StartWith("error when evicting pods/\"db-0\" -n \"prod\": Cannot evict pod as it would violate the pod's disruption budget. (PodDisruptionBudget prod/db-pdb: ");
        error.Pdbs.Should().ContainSingle().Which.Name.Should().Be("db-pdb");
        result.Duration.Should().Be(TimeSpan.Zero);
        _cluster.Count("EVICT").Should().Be(1);
    }

    [Fact]
    public async Task Should_refuse_before_evicting_anything_when_a_budget_can_never_allow_it_and_fail_fast_is_set()
    {
        // Given minAvailable equal to the replicas (kubernetes#66811's endless loop) and another pod
        AddDb();
        _cluster.AddPod(Pod("default", "web-1"));
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 3, healthy: 3, desired: 3, expected: 3, allowed: 0));

        // When drained with --fail-fast-on-pdb
        var result = await Drain(new DrainOptions { FailFastOnPdb = true });

        // Then nothing is evicted and the reason is plain
        result.Error.Should().BeOfType<PdbBlocked>().Which.Message.Should().Contain("the drain cannot finish: minAvailable 3 requires all 3 pods");
        _cluster.Count("EVICT").Should().Be(0);
    }

    [Fact]
    public async Task Should_not_evict_a_pod_recreated_under_the_same_name()
    {
        // Given a blocked StatefulSet pod that is deleted and recreated (new UID) at t=3s
        AddDb();
        _cluster.AddPdb(Pdb("prod", "db-pdb", Labels("db"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0));
        using var recreate = _time.CreateTimer(_ =>
        {
            _cluster.MarkStuck("prod", "db-0", Now);
            _cluster.AddPod(Pod("prod", "db-0", "StatefulSet", "db", labels: Labels("db"), uid: "uid-db-0-new"));
        }, null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        // When the node is drained (kubectl keeps evicting the replacement, kubernetes#91141)
        var result = await Drain();

        // Then the retry at 5 s is not sent: the original pod is gone, the replacement is left alone
        result.Succeeded.Should().BeTrue();
        _cluster.Count("EVICT").Should().Be(1);
        _cluster.Pod("prod", "db-0")!.Metadata.Uid.Should().Be("uid-db-0-new");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Should_delete_instead_of_evicting_when_asked_or_when_the_api_has_no_eviction(bool disableEviction, bool evictionSupported)
    {
        // Given a pod, and a server with or without pods/eviction
        _cluster.AddPod(Pod("default", "web-1", grace: 1));
        _cluster.EvictionSupported = evictionSupported;

        // When drained
        var result = await Drain(new DrainOptions { DisableEviction = disableEviction });

        // Then the pod is deleted, not evicted
        result.Deleted.Select(d => d.Pod.Name).Should().Equal("web-1");
        result.Evicted.Should().BeEmpty();
        _cluster.Count("EVICT").Should().Be(0);
        _cluster.Count("DELETE pods").Should().Be(1);
        _progress.Of<PodGone>().Single().ViaDelete.Should().BeTrue();
    }

    [Fact]
    public async Task Should_ask_discovery_once_per_drainer_once_eviction_is_known_to_be_served()
    {
        // Given a server without pods/eviction, then with it
        _cluster.AddPod(Pod("default", "web-1", grace: 1));
        _cluster.EvictionSupported = false;
        await Drain();
        _cluster.AddPod(Pod("default", "web-2", grace: 1));
        _cluster.EvictionSupported = true;
        await Drain();

        // When the same drainer drains twice more
        _cluster.AddPod(Pod("default", "web-3", grace: 1));
        await Drain();
        _cluster.AddPod(Pod("default", "web-4", grace: 1));
        await Drain();

        // Then a "no" is asked again, a "yes" is not: two discovery requests for four drains, and the later pods evicted
        _cluster.Count("GET /api/v1").Should().Be(2);
        _cluster.Count("DELETE pods").Should().Be(1);
        _cluster.Count("EVICT").Should().Be(3);
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(0, 0L)]
    [InlineData(7, 7L)]
    public async Task Should_send_the_grace_period_as_kubectl_does(int flag, long? sent)
    {
        // Given a pod
        _cluster.AddPod(Pod("default", "web-1", grace: 1));

        // When drained with --grace-period
        await Drain(new DrainOptions { GracePeriodSeconds = flag });

        // Then negative leaves the field out, 0 is sent as is; the UID precondition guards against replacements
        var (_, options, _) = _cluster.Evictions.Single();
        options!.GracePeriodSeconds.Should().Be(sent);
        options.Preconditions!.Uid.Should().Be("uid-default-web-1");
    }

    [Fact]
    public async Task Should_send_server_dry_run_and_not_wait()
    {
        // Given a pod
        _cluster.AddPod(Pod("default", "web-1", grace: 30));

        // When drained with --dry-run=server
        var result = await Drain(new DrainOptions { DryRun = DryRunMode.Server });

        // Then the eviction carries dryRun=All, the pod stays, nothing is waited for and no event is posted
        result.Succeeded.Should().BeTrue();
        _cluster.Evictions.Single().DryRun.Should().Be(DryRun.Server);
        _cluster.HasPod("default", "web-1").Should().BeTrue();
        result.Duration.Should().Be(TimeSpan.Zero);
        _cluster.Patches.Should().Equal("""n1 {"spec":{"unschedulable":true}} dryRun=All""");
        _cluster.Events.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_send_nothing_in_client_dry_run()
    {
        // Given a pod
        _cluster.AddPod(Pod("default", "web-1"));

        // When drained with --dry-run=client
        var result = await Drain(new DrainOptions { DryRun = DryRunMode.Client });

        // Then only reads happen; the would-be evictions are reported
        result.Succeeded.Should().BeTrue();
        _cluster.Requests.Should().OnlyContain(r => r.StartsWith("GET") || r.StartsWith("LIST"));
        _progress.Of<PodEvicting>().Should().ContainSingle().Which.DryRun.Should().Be(DryRunMode.Client);
        _cluster.Node("n1").Spec!.Unschedulable.Should().NotBe(true);
    }

    [Fact]
    public async Task Should_stop_waiting_for_a_pod_stuck_terminating_past_the_skip_timeout()
    {
        // Given a pod whose kubelet never confirms deletion
        _cluster.AddPod(Pod("default", "stuck", grace: 1));
        _cluster.AddPod(Pod("default", "ok", grace: 1));
        _cluster.EvictFault = (_, name) => { if (name == "stuck") _cluster.MarkStuck("default", "stuck", _time.GetUtcNow()); return null; };

        // When drained with --skip-wait-for-delete-timeout=5
        var result = await Drain(new DrainOptions { SkipWaitForDeleteTimeoutSeconds = 5 });

        // Then the stuck pod is skipped after just over 5 s with kubectl's message
        result.Succeeded.Should().BeTrue();
        result.Skipped.Should().ContainSingle().Which.Reason.Should().Be("pod \"stuck\" has DeletionTimestamp older than 5 seconds, skipping");
        result.Duration.Should().BeGreaterThan(TimeSpan.FromSeconds(5)).And.BeLessThan(TimeSpan.FromSeconds(6.1));
    }

    [Fact]
    public async Task Should_fall_back_to_listing_when_the_watch_fails()
    {
        // Given a server whose watch always fails
        _cluster.AddPod(Pod("default", "web-1", grace: 2));
        _cluster.WatchBroken = true;

        // When drained
        var result = await Drain();

        // Then it still completes, by listing the node's pods (never one GET per pod)
        result.Succeeded.Should().BeTrue();
        _cluster.Count("GET pods").Should().Be(0);
        _cluster.Count("LIST pods").Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Should_evict_nothing_when_a_filter_refuses()
    {
        // Given a DaemonSet pod and a replicated pod
        _cluster.AddDaemonSet("kube-system", "proxy");
        _cluster.AddPod(Pod("kube-system", "proxy-x", "DaemonSet", "proxy"));
        _cluster.AddPod(Pod("default", "web-1"));

        // When drained without --ignore-daemonsets
        var result = await Drain();

        // Then the node fails with kubectl's error and nothing is evicted
        result.Error.Should().BeOfType<DrainRefused>().Which.Message
            .Should().Be("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/proxy-x");
        _cluster.Count("EVICT").Should().Be(0);
    }

    [Fact]
    public async Task Should_fail_a_pod_on_a_non_retriable_eviction_error()
    {
        // Given two budgets covering one pod
        AddDb();
        _cluster.AddPdb(Pdb("prod", "a", Labels("db")));
        _cluster.AddPdb(Pdb("prod", "b", Labels("db")));

        // When drained
        var result = await Drain();

        // Then the node fails with the server's reason, no retry
        result.Error.Should().BeOfType<EvictionFailed>().Which.Message.Should()
            .Be("error when evicting pods/\"db-0\" -n \"prod\": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        _cluster.Count("EVICT").Should().Be(1);
    }

    [Fact]
    public async Task Should_page_the_pod_list_by_chunk_size_and_apply_the_pod_selector()
    {
        // Given five pods, two labelled app=web
        for (var i = 0; i < 5; i++) _cluster.AddPod(Pod("default", $"p{i}", labels: Labels(i < 2 ? "web" : "db"), grace: 1));

        // When drained with --chunk-size=1 --pod-selector=app=web
        var result = await Drain(new DrainOptions { ChunkSize = 1, PodSelector = "app=web" });

        // Then only the matching pods go, listed page by page
        result.Evicted.Select(e => e.Pod.Name).Should().BeEquivalentTo("p0", "p1");
        _cluster.Count("LIST pods").Should().Be(2);
        _cluster.HasPod("default", "p4").Should().BeTrue();
    }

    [Fact]
    public async Task Should_abort_on_an_unknown_node_before_anything_is_cordoned()
    {
        // Given/When an unknown node is resolved
        var act = () => NodeResolver.ResolveAsync(_cluster, ["n1", "x"], null, 500, default);

        // Then kubectl's NotFound error comes back and nothing was patched
        (await act.Should().ThrowAsync<KubeApiException>()).Which.Message.Should().Be("nodes \"x\" not found");
        _cluster.Patches.Should().BeEmpty();
    }
}
