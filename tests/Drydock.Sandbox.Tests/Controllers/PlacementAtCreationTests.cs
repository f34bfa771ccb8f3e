using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>
/// A ReplicaSet's new pod meets the scheduler as it is created (kube-scheduler's queue is first in, first out) when no
/// other pod is waiting for a node: the store commits it bound in its first version — and started too while a load
/// settles — instead of committing it pending and then again bound. Behind a pending pod it queues as before.
/// </summary>
public sealed class PlacementAtCreationTests
{
    [Fact]
    public void Should_commit_a_loading_replica_sets_pods_once_bound_and_running_or_once_pending()
    {
        // Given the placement scenario: 40 mixed nodes and ~350 pods of 30 Deployments, some fitting nowhere
        using var cluster = new SandboxCluster(new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        var changes = Record(cluster);

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

    [Fact]
    public async Task Should_commit_a_replacement_bound_in_its_first_version_when_no_pod_waits()
    {
        // Given a settled cluster where every pod has a node
        using var v = new VirtualCluster();
        v.Cluster.Store.HasUnscheduledPods.Should().BeFalse();
        var changes = Record(v.Cluster);

        // When a ReplicaSet's pod is deleted and time passes
        var victim = v.Cluster.Objects<Pod>().First(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true);
        await v.Client.DeleteAsync(ResourceKind.Pods, victim.Metadata.Namespace, victim.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        v.Advance(30);

        // Then its replacement was added bound and still Pending, then started: two versions, not three
        var replacement = changes.Single(kv => kv.Key != victim.Metadata.Uid).Value;
        replacement.Select(c => c.Type).Should().Equal("ADDED", "MODIFIED");
        replacement[0].Node.Should().NotBeNullOrEmpty();
        replacement[0].Phase.Should().Be("Pending");
        replacement[1].Phase.Should().Be("Running");
    }

    [Fact]
    public async Task Should_queue_a_new_pod_behind_a_pending_one()
    {
        // Given the placement scenario, settled with pods that fit nowhere
        using var v = new VirtualCluster(SchedulerPlacementTests.Scenario(seed: 11));
        v.Cluster.Store.HasUnscheduledPods.Should().BeTrue();
        var changes = Record(v.Cluster);

        // When a placed ReplicaSet pod is deleted
        var victim = v.Cluster.Objects<Pod>().First(p => p.Spec!.NodeName is not null && p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true);
        await v.Client.DeleteAsync(ResourceKind.Pods, victim.Metadata.Namespace, victim.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });

        // Then its replacement was added pending and bound by the scheduler's next pass, in a version of its own
        var replacement = changes.Single(kv => kv.Key != victim.Metadata.Uid).Value;
        replacement.Select(c => c.Type).Should().Equal("ADDED", "MODIFIED");
        replacement[0].Node.Should().BeNull();
        replacement[1].Node.Should().NotBeNullOrEmpty();
    }

    private static Dictionary<string, List<(string Type, string? Node, string? Phase)>> Record(SandboxCluster cluster)
    {
        var changes = new Dictionary<string, List<(string Type, string? Node, string? Phase)>>(StringComparer.Ordinal);
        cluster.Store.Changed += c =>
        {
            if (c.Resource != ServedResource.Pods || c.Object.ControllerRef()?.S("kind") != "ReplicaSet") return;
            if (!changes.TryGetValue(c.Object.Uid(), out var list)) changes[c.Object.Uid()] = list = [];
            list.Add((c.Type, c.Object.Spec().S("nodeName"), c.Object.Status().S("phase")));
        };
        return changes;
    }
}
