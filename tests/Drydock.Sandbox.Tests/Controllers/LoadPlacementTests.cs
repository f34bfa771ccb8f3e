using Drydock.Common;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>
/// A loading cluster's ReplicaSets create their pods while the load settles; the scheduler places each one as it is
/// created (kube-scheduler's queue is first in, first out), so the store commits it bound and started in its first
/// version instead of committing it pending and then again bound.
/// </summary>
public sealed class LoadPlacementTests
{
    [Fact]
    public void Should_commit_a_loading_replica_sets_pods_once_bound_and_running_or_once_pending()
    {
        // Given the placement scenario: 40 mixed nodes and ~350 pods of 30 Deployments, some fitting nowhere
        using var cluster = new SandboxCluster(new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var changes = new Dictionary<string, List<(string Type, string? Node, string? Phase)>>(StringComparer.Ordinal);
        cluster.Store.Changed += c =>
        {
            if (c.Resource != ServedResource.Pods || c.Object.ControllerRef()?.S("kind") != "ReplicaSet") return;
            if (!changes.TryGetValue(c.Object.Uid(), out var list)) changes[c.Object.Uid()] = list = [];
            list.Add((c.Type, c.Object.Spec().S("nodeName"), c.Object.Status().S("phase")));
        };

        // When it is loaded
        cluster.LoadList(SchedulerPlacementTests.Scenario(seed: 11));

        // Then every ReplicaSet pod was committed once: bound and Running if it fit somewhere, else Pending with no node
        changes.Count.Should().BeGreaterThan(300);
        changes.Values.Should().AllSatisfy(c => c.Should().ContainSingle().Which.Type.Should().Be("ADDED"));
        var first = changes.Values.Select(c => c[0]).ToList();
        first.Should().Contain(c => c.Node == null, "the scenario has pods that fit nowhere");
        first.Where(c => c.Node != null).Should().AllSatisfy(c => c.Phase.Should().Be("Running"));
        first.Where(c => c.Node == null).Should().AllSatisfy(c => c.Phase.Should().Be("Pending"));
        // …and no node holds more than it can: the scheduler's checks ran on the pods it placed at creation
        foreach (var node in cluster.Store.All(ServedResource.Nodes))
        {
            var (cpu, memory, pods) = cluster.UsageOf(node.Name());
            var allocatable = node.Status().O("allocatable")!;
            cpu.Should().BeLessThanOrEqualTo(decimal.Parse(allocatable.S("cpu")!, System.Globalization.CultureInfo.InvariantCulture));
            pods.Should().BeLessThanOrEqualTo(int.Parse(allocatable.S("pods")!, System.Globalization.CultureInfo.InvariantCulture));
            memory.Should().BeGreaterThanOrEqualTo(0);
        }
    }
}
