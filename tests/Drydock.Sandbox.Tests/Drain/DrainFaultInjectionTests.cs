using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// The HTTP client against the sandbox served on 127.0.0.1 with --fault-rate: a fifth of the API requests are
/// answered with 429, 500 or a dropped connection. The drain still completes and no budget is violated.
/// The cluster runs on a manual clock (virtual time); requests are real HTTP.
/// </summary>
public sealed class DrainFaultInjectionTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(0.2, 7)]
    public async Task Should_complete_the_drain_without_violating_a_budget_despite_faults(double rate, int seed)
    {
        // Given a sandbox served over HTTP that fails a fraction of the requests
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var cluster = new SandboxCluster(clock, new SandboxOptions { FaultRate = rate, Seed = seed });
        cluster.LoadList(BuiltInScenario.Build("default"));
        cluster.Settle();
        await using var host = await SandboxHost.ServeAsync(cluster);
        using var client = KubeClient.ForServer(host.BaseUrl, clock);
        var node = cluster.Objects<Node>().Select(n => n.Metadata.Name!)
            .First(n => n.StartsWith("worker-", StringComparison.Ordinal) && !cluster.Objects<Pod>().Any(p => p.Spec!.NodeName == n && p.Metadata.Labels?.GetValueOrDefault("app") == "payments"));
        var progress = new RecordingProgress();

        // When the node is drained
        var result = await DrainDriver.RunOverHttpAsync(clock, cluster,
            () => new NodeDrainer(client, clock).DrainAsync(node, new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true, Force = true }, progress),
            progress);

        // Then it succeeded, faults were really injected, only DaemonSet pods remain, and no PDB was violated
        result.Error.Should().BeNull();
        cluster.Stats.FaultsInjected.Should().BeGreaterThan(0);
        cluster.Objects<Pod>().Where(p => p.Spec!.NodeName == node).Should().OnlyContain(p => PodFacts.Controller(p)!.Kind == "DaemonSet");
        cluster.Stats.Violations.Should().BeEmpty();
    }
}
