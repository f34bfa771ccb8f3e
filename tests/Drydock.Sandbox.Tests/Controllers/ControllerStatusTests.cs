using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The controllers skip passes a pod change cannot affect (their own writes, bindings, removal of pods
/// already terminating): after any mix of evictions, deletions, scaling and time, every ReplicaSet, Deployment,
/// StatefulSet and PDB status must still equal what counting the pods from scratch gives — also when ReplicaSet status
/// writes are held back until a client reads them (<see cref="SandboxOptions.HoldWorkloadStatus"/>, as rehearsals run).</summary>
public sealed class ControllerStatusTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_keep_workload_and_pdb_status_equal_to_a_count_of_the_pods_through_evictions_and_scaling(bool holdWorkloadStatus)
    {
        using var v = new VirtualCluster(options: new SandboxOptions { HoldWorkloadStatus = holdWorkloadStatus });
        AssertStatusesMatchPods(v, "loaded");

        // Evict one web pod: terminating now, replacement created (Pending, then bound, then Running)
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        AssertStatusesMatchPods(v, "right after an eviction");
        for (var step = 0; step < 8; step++)
        {
            v.Advance(1);
            AssertStatusesMatchPods(v, $"{step + 1} s after an eviction");
        }

        // Delete a StatefulSet pod and a cache pod directly (no PDB check), part-way through a grace period
        await v.Client.DeleteAsync(ResourceKind.Pods, "data", v.Pods("db", "data").OrderBy(p => p.Metadata.Name).Last().Metadata.Name!);
        await v.Client.DeleteAsync(ResourceKind.Pods, "shop", v.Pods("cache")[0].Metadata.Name!);
        v.Advance(3);
        AssertStatusesMatchPods(v, "part-way through deletions");

        // Scale web up and cache down while pods are still coming and going
        await v.Client.PatchAsync<Deployment>(ResourceKind.Deployments, "shop", "web", PatchType.Merge, """{"spec":{"replicas":5}}""");
        await v.Client.PatchAsync<Deployment>(ResourceKind.Deployments, "shop", "cache", PatchType.Merge, """{"spec":{"replicas":1}}""");
        AssertStatusesMatchPods(v, "right after scaling");
        for (var step = 0; step < 30; step++)
        {
            v.Advance(1);
            AssertStatusesMatchPods(v, $"{step + 1} s after scaling");
        }
        v.Pods("web").Where(VirtualCluster.Ready).Should().HaveCount(5);
        v.Pods("cache").Should().ContainSingle();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_count_a_replacement_pod_ready_only_once_it_runs(bool holdWorkloadStatus)
    {
        // Given web (3 ready)
        using var v = new VirtualCluster(options: new SandboxOptions { HoldWorkloadStatus = holdWorkloadStatus });
        var rs = v.Cluster.Objects<ReplicaSet>("shop").Single(r => r.Metadata.Name!.StartsWith("web-", StringComparison.Ordinal) && r.Spec!.Replicas > 0);
        rs.Status!.ReadyReplicas.Should().Be(3);

        // When one is evicted: the replacement is created and bound at once but starts later
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        var during = v.Cluster.Objects<ReplicaSet>("shop").Single(r => r.Metadata.Uid == rs.Metadata.Uid);
        (during.Status!.Replicas, during.Status.ReadyReplicas).Should().Be((3, 2));
        v.Cluster.Objects<Deployment>("shop").Single(d => d.Metadata.Name == "web").Status!.ReadyReplicas.Should().Be(2);

        // Then once it runs, both the ReplicaSet and its Deployment count it
        v.Advance(10);
        v.Cluster.Objects<ReplicaSet>("shop").Single(r => r.Metadata.Uid == rs.Metadata.Uid).Status!.ReadyReplicas.Should().Be(3);
        v.Cluster.Objects<Deployment>("shop").Single(d => d.Metadata.Name == "web").Status!.ReadyReplicas.Should().Be(3);
        v.Pdb("shop", "web").Status!.CurrentHealthy.Should().Be(3);
    }

    private static void AssertStatusesMatchPods(VirtualCluster v, string when)
    {
        var pods = v.Cluster.Objects<Pod>();
        bool Active(Pod p) => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed");
        List<Pod> OwnedBy(string? uid) => pods.Where(p => p.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == uid) == true).ToList();

        foreach (var rs in v.Cluster.Objects<ReplicaSet>())
        {
            var active = OwnedBy(rs.Metadata.Uid).Where(Active).ToList();
            (rs.Status?.Replicas ?? 0, rs.Status?.ReadyReplicas ?? 0).Should()
                .Be((active.Count, active.Count(VirtualCluster.Ready)), $"ReplicaSet {rs.Metadata.Name} {when}");
        }
        var sets = v.Cluster.Objects<ReplicaSet>();
        foreach (var dep in v.Cluster.Objects<Deployment>())
        {
            var mine = sets.Where(s => s.Metadata.OwnerReferences?.Any(o => o.Uid == dep.Metadata.Uid) == true).ToList();
            (dep.Status?.Replicas ?? 0, dep.Status?.ReadyReplicas ?? 0).Should()
                .Be((mine.Sum(s => s.Status?.Replicas ?? 0), mine.Sum(s => s.Status?.ReadyReplicas ?? 0)), $"Deployment {dep.Metadata.Name} {when}");
        }
        foreach (var sts in v.Cluster.Objects<StatefulSet>())
        {
            var active = OwnedBy(sts.Metadata.Uid).Where(Active).ToList();
            (sts.Status?.Replicas ?? 0, sts.Status?.ReadyReplicas ?? 0).Should()
                .Be((active.Count, active.Count(VirtualCluster.Ready)), $"StatefulSet {sts.Metadata.Name} {when}");
        }
        foreach (var pdb in v.Cluster.Objects<PodDisruptionBudget>())
        {
            var labels = pdb.Spec!.Selector!.MatchLabels!;
            var covered = pods.Where(p => p.Metadata.Namespace == pdb.Metadata.Namespace
                && labels.All(l => p.Metadata.Labels?.GetValueOrDefault(l.Key) == l.Value)).ToList();
            var disrupted = pdb.Status?.DisruptedPods ?? new Dictionary<string, DateTimeOffset>();
            var healthy = covered.Count(p => VirtualCluster.Ready(p) && !disrupted.ContainsKey(p.Metadata.Name!));
            pdb.Status!.CurrentHealthy.Should().Be(healthy, $"PDB {pdb.Metadata.Namespace}/{pdb.Metadata.Name} {when}");
            pdb.Status.DisruptionsAllowed.Should().Be(pdb.Status.ExpectedPods <= 0 ? 0 : Math.Max(0, healthy - pdb.Status.DesiredHealthy),
                $"PDB {pdb.Metadata.Namespace}/{pdb.Metadata.Name} {when}");
        }
    }
}
