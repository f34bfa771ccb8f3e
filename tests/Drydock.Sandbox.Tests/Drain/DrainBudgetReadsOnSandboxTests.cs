using Drydock.Drain;
using Drydock.Kube.Models;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// Which PodDisruptionBudget requests a drain makes against the simulated API server, whose refusals are worded as
/// the real one's (the budget named in a DisruptionBudget cause): never a cluster-wide LIST.
/// </summary>
public sealed class DrainBudgetReadsOnSandboxTests : IDisposable
{
    private readonly VirtualCluster _v = new();
    private readonly RecordingProgress _progress = new();
    private readonly NodeDrainer _drainer;

    public DrainBudgetReadsOnSandboxTests() => _drainer = new NodeDrainer(_v.Client, _v.Clock);

    public void Dispose() => _v.Dispose();

    /// <summary>A worker running a payments pod, whose budget (minAvailable 2 of 2) refuses every eviction.</summary>
    private string BlockedWorker() => _v.Pods("payments").First().Spec!.NodeName!;

    private static readonly DrainOptions TimesOut = new()
    {
        IgnoreDaemonSets = true, DeleteEmptyDirData = true, Force = true, Timeout = TimeSpan.FromSeconds(40),
    };

    private async Task<(NodeDrainResult Result, long Lists, long Gets)> DrainCounting(DrainOptions options, bool observed)
    {
        var before = _v.Cluster.Stats.Requests;
        var result = await DrainDriver.RunAsync(_v.Clock, _v.Cluster,
            () => _drainer.DrainAsync(BlockedWorker(), options, observed ? _progress : null));
        long Delta(string key) => _v.Cluster.Stats.Count(key) - before.GetValueOrDefault(key);
        return (result, Delta("LIST poddisruptionbudgets"), Delta("GET poddisruptionbudgets"));
    }

    [Fact]
    public async Task Should_explain_each_refusal_from_the_budget_the_server_names_without_listing()
    {
        // When the blocked worker is drained with an observer, diagnosing on refusal
        var (result, lists, gets) = await DrainCounting(TimesOut with { DiagnosePdbs = PdbDiagnosisTiming.OnRefusal }, observed: true);

        // Then every refusal names its pod's budget with its numbers (payments: shop/payments), read by one GET each,
        // and nothing is listed
        result.Error.Should().BeOfType<DrainTimedOut>();
        var retries = _progress.Of<PodEvictionRetry>();
        retries.Should().NotBeEmpty().And.OnlyContain(r => r.Pdb!.Namespace == r.Pod.Namespace && r.Pdb.PodsOnNode.Contains(r.Pod.ToString()));
        retries.Where(r => r.Pod.Name.StartsWith("payments-", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(r => r.Pdb!.FullName == "shop/payments" && r.Pdb.MinAvailable == "2");
        lists.Should().Be(0);
        gets.Should().Be(retries.Count);
    }

    [Fact]
    public async Task Should_read_one_budget_for_an_unattended_drain()
    {
        // When the blocked worker is drained as a rollout does (no observer, default timing)
        var (result, lists, gets) = await DrainCounting(TimesOut, observed: false);

        // Then only the refusal behind the node's DrainBlocked event read its budget
        result.Error.Should().BeOfType<DrainTimedOut>();
        result.Plan!.Pdbs.Should().BeEmpty();
        lists.Should().Be(0);
        gets.Should().Be(1);
        _v.Cluster.Objects<Event>().Should().ContainSingle(e => e.Reason == DrainConstants.EventReasonDrainBlocked)
            .Which.Message.Should().Contain("refused by PodDisruptionBudget");
    }

    [Fact]
    public async Task Should_list_only_the_namespaces_of_evicted_pods_for_an_observed_plan()
    {
        // When the blocked worker is drained with an observer (the CLI's default)
        var (result, lists, _) = await DrainCounting(TimesOut, observed: true);

        // Then one LIST per namespace among the pods to evict, and the plan explains the budget
        var namespaces = result.Plan!.ToEvict.Select(p => p.Metadata.Namespace).Distinct().Count();
        lists.Should().Be(namespaces);
        result.Plan.Pdbs.Should().Contain(p => p.FullName == "shop/payments");
    }
}
