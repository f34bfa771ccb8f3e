using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// NodeDrainer against the simulated cluster (controllers, disruption controller, kubelet grace periods) through the
/// in-process client, all in virtual time: replacements come up elsewhere, budgets free up, nothing is violated.
/// </summary>
public sealed class DrainOnSandboxTests : IDisposable
{
    private readonly VirtualCluster _v = new();
    private readonly RecordingProgress _progress = new();
    private readonly NodeDrainer _drainer;

    public DrainOnSandboxTests() => _drainer = new NodeDrainer(_v.Client, _v.Clock);

    public void Dispose() => _v.Dispose();

    private static readonly DrainOptions AllFlags = new() { IgnoreDaemonSets = true, DeleteEmptyDirData = true, Force = true };

    private string WorkerWith(string app) => _v.Pods(app).First().Spec!.NodeName!;

    private string WorkerWithout(string app) =>
        _v.Cluster.Objects<Node>().Select(n => n.Metadata.Name!).Where(n => n.StartsWith("worker-", StringComparison.Ordinal))
            .First(n => !_v.Pods(app).Any(p => p.Spec!.NodeName == n));

    private List<Pod> OnNode(string node) => _v.Pods().Where(p => p.Spec!.NodeName == node).ToList();

    private Task<NodeDrainResult> Drain(string node, DrainOptions options) =>
        DrainDriver.RunAsync(_v.Clock, _v.Cluster, () => _drainer.DrainAsync(node, options, _progress));

    [Fact]
    public async Task Should_drain_a_worker_with_one_eviction_per_pod_and_no_violation()
    {
        // Given a worker without the always-blocked payments pods
        var node = WorkerWithout("payments");
        var evictable = OnNode(node).Where(p => PodFacts.Controller(p)?.Kind != "DaemonSet").ToList();
        evictable.Should().NotBeEmpty();
        var before = _v.Cluster.Stats.Requests;

        // When it is drained with kubectl's usual flags
        var result = await Drain(node, AllFlags);

        // Then every evictable pod is gone from the node, only DaemonSet pods remain, and no budget was violated
        result.Error.Should().BeNull();
        result.Evicted.Select(e => e.Pod.ToString()).Should().BeEquivalentTo(evictable.Select(p => $"{p.Metadata.Namespace}/{p.Metadata.Name}"));
        OnNode(node).Should().OnlyContain(p => PodFacts.Controller(p)!.Kind == "DaemonSet");
        _v.Cluster.Stats.Violations.Should().BeEmpty();
        long Delta(string key) => _v.Cluster.Stats.Count(key) - before.GetValueOrDefault(key);
        Delta("GET pods").Should().Be(0, "deletion is learned from one watch");
        Delta("WATCH pods").Should().BeLessThanOrEqualTo(2);
        _v.Cluster.Objects<Node>().Single(n => n.Metadata.Name == node).Spec!.Unschedulable.Should().BeTrue();
    }

    [Fact]
    public async Task Should_diagnose_a_budget_that_can_never_allow_the_drain_and_fail_fast()
    {
        // Given the node running a payments pod (PDB minAvailable 2 of 2 replicas)
        var node = WorkerWith("payments");

        // When drained with --fail-fast-on-pdb
        var result = await Drain(node, AllFlags with { FailFastOnPdb = true });

        // Then nothing was evicted and the budget's numbers and the reason are given
        var blocked = result.Error.Should().BeOfType<PdbBlocked>().Subject;
        var pdb = blocked.Pdbs.Should().ContainSingle().Subject;
        (pdb.FullName, pdb.MinAvailable, pdb.ExpectedPods, pdb.DisruptionsAllowed, pdb.Outlook).Should().Be(("shop/payments", "2", 2, 0, PdbOutlook.CannotFinish));
        blocked.Message.Should().Contain("minAvailable 2 requires all 2 pods to stay healthy");
        _v.Cluster.Stats.EvictionsAccepted.Should().Be(0);
    }

    [Fact]
    public async Task Should_time_out_on_a_blocking_budget_and_leave_the_rest_drained()
    {
        // Given the node running a payments pod
        var node = WorkerWith("payments");
        var start = _v.Clock.GetUtcNow();

        // When drained with --timeout=40s (long enough for the StatefulSet pods there: 10 s grace, one at a time)
        var result = await Drain(node, AllFlags with { Timeout = TimeSpan.FromSeconds(40) });

        // Then it fails at 40 s (kubectl: up to 45), lists the payments pod as pending, and every other pod is gone
        result.Error.Should().BeOfType<DrainTimedOut>();
        result.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(40)).And.BeLessThan(TimeSpan.FromSeconds(40.5));
        result.PendingPods.Should().ContainSingle().Which.Should().StartWith("shop/payments-");
        _progress.Of<PodEvictionRetry>().Should().Contain(r => r.Pdb!.FullName == "shop/payments");
        OnNode(node).Where(p => PodFacts.Controller(p)!.Kind != "DaemonSet").Should().ContainSingle().Which.Metadata.Labels!["app"].Should().Be("payments");
        _v.Cluster.Stats.Violations.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_wait_for_a_budget_that_frees_up_when_a_replacement_becomes_healthy_elsewhere()
    {
        // Given two replicas of shop/api (PDB minAvailable 1) both on worker-1, the other workers schedulable again
        foreach (var n in new[] { "worker-2", "worker-3" }) await _v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, n, PatchType.StrategicMerge, """{"spec":{"unschedulable":true}}""");
        await _v.Client.CreateAsync(ResourceKind.Deployments, "shop", new Deployment
        {
            Metadata = new ObjectMeta { Name = "api", Namespace = "shop" },
            Spec = new DeploymentSpec
            {
                Replicas = 2,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api" } },
                    Spec = new PodSpec { Containers = [new Container { Name = "api", Image = "api:1" }], TerminationGracePeriodSeconds = 3 },
                },
            },
        });
        await _v.Client.CreateAsync(ResourceKind.PodDisruptionBudgets, "shop", new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = "api", Namespace = "shop" },
            Spec = new PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } } },
        });
        _v.Advance(5);
        foreach (var n in new[] { "worker-2", "worker-3" }) await _v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, n, PatchType.StrategicMerge, """{"spec":{"unschedulable":null}}""");
        _v.Pods("api").Should().HaveCount(2).And.OnlyContain(p => p.Spec!.NodeName == "worker-1" && VirtualCluster.Ready(p));

        // When worker-1 is drained of the api pods
        var result = await Drain("worker-1", new DrainOptions { PodSelector = "app=api" });

        // Then the second eviction was refused (budget named) until the first one's replacement was ready elsewhere
        result.Error.Should().BeNull();
        result.Evicted.Should().HaveCount(2);
        _progress.Of<PodEvictionRetry>().Should().NotBeEmpty().And.OnlyContain(r => r.Pdb!.FullName == "shop/api" && r.Pdb.Outlook == PdbOutlook.WillWait);
        _v.Pods("api").Should().HaveCount(2).And.OnlyContain(p => p.Spec!.NodeName != "worker-1");
        _v.Cluster.Stats.Violations.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_refuse_with_every_offending_pod_listed_and_evict_nothing()
    {
        // Given the node with the bare debug-shell pod
        var node = _v.Pods(ns: "default").Single(p => p.Metadata.Name == "debug-shell").Spec!.NodeName!;

        // When drained without flags
        var result = await Drain(node, new DrainOptions());

        // Then the DaemonSet and the naked pod are named with kubectl's wording, and nothing is evicted
        var refused = result.Error.Should().BeOfType<DrainRefused>().Subject;
        refused.Parts.Should().Contain(p => p.StartsWith("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-", StringComparison.Ordinal));
        refused.Parts.Should().Contain("cannot delete Pods that declare no controller (use --force to override): default/debug-shell");
        _v.Cluster.Stats.EvictionsAccepted.Should().Be(0);
    }
}
