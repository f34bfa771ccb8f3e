using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The ReplicaSet controller counts its pods from <see cref="ControlledPods"/> and the disruption controller
/// reads a PDB's pods from its cached members, both kept up to date from store changes: after any mix of changes each
/// must hold exactly what reading every pod from the store gives.</summary>
public sealed class ControllerCacheTests
{
    [Fact]
    public void Should_count_like_a_plain_model_after_random_sets_and_removes()
    {
        var rng = new Random(11);
        var cache = new ControlledPods();
        var model = new Dictionary<string, (string Owner, bool Active, bool Ready)>();
        string[] owners = ["rs-a", "rs-b", "rs-c"];
        for (var step = 0; step < 5_000; step++)
        {
            var pod = $"pod-{rng.Next(40)}";
            if (rng.Next(4) == 0)
            {
                cache.Remove(pod);
                model.Remove(pod);
            }
            else
            {
                var owner = rng.Next(5) == 0 ? null : owners[rng.Next(owners.Length)];
                var (active, ready) = (rng.Next(3) > 0, rng.Next(2) == 0);
                cache.Set(pod, owner, active, ready);
                if (owner is null) model.Remove(pod); else model[pod] = (owner, active, ready);
            }
            foreach (var owner in owners)
            {
                var mine = model.Values.Where(m => m.Owner == owner && m.Active).ToList();
                cache.Count(owner).Should().Be((mine.Count, mine.Count(m => m.Ready)), $"owner {owner} after step {step}");
            }
        }
        cache.Records.Values.Should().NotContain(pods => pods.Count == 0, "an owner without pods is dropped");
    }

    [Fact]
    public async Task Should_equal_a_recount_from_the_store_after_random_evictions_deletions_scaling_relabelling_and_orphaning()
    {
        using var v = new VirtualCluster();
        var rng = new Random(5);
        AssertMatchesStore(v, "loaded");
        string[] deployments = ["web", "payments", "cache"];
        for (var step = 0; step < 60; step++)
        {
            var pods = v.Cluster.Objects<Pod>("shop");
            var pod = pods.Count == 0 ? null : pods[rng.Next(pods.Count)];
            var action = rng.Next(6);
            try
            {
                switch (action)
                {
                    case 0 when pod is not null:
                        await v.Client.EvictAsync("shop", pod.Metadata.Name!);
                        break;
                    case 1 when pod is not null:
                        await v.Client.DeleteAsync(ResourceKind.Pods, "shop", pod.Metadata.Name!);
                        break;
                    case 2:
                        await v.Client.PatchAsync<Deployment>(ResourceKind.Deployments, "shop", deployments[rng.Next(deployments.Length)],
                            PatchType.Merge, $"{{\"spec\":{{\"replicas\":{rng.Next(6)}}}}}");
                        break;
                    case 3 when pod is not null:
                        await v.Client.PatchAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!, PatchType.Merge, """{"metadata":{"ownerReferences":null}}""");
                        break;
                    case 4 when pod is not null: // moves the pod into or out of a PDB's selector
                        await v.Client.PatchAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!, PatchType.Merge,
                            $"{{\"metadata\":{{\"labels\":{{\"app\":\"{deployments[rng.Next(deployments.Length)]}\"}}}}}}");
                        break;
                    default:
                        v.Advance(rng.Next(1, 20));
                        break;
                }
            }
            catch (KubeApiException) { } // a refused eviction or a pod already gone: the cache must still agree
            AssertMatchesStore(v, $"after step {step} (action {action})");
        }
    }

    private static void AssertMatchesStore(VirtualCluster v, string when)
    {
        var expected = new Dictionary<string, Dictionary<string, (bool Active, bool Ready)>>();
        foreach (var pod in v.Cluster.Objects<Pod>())
        {
            if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid is not { } owner) continue;
            var active = pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");
            var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
            if (!expected.TryGetValue(owner, out var mine)) expected[owner] = mine = [];
            mine[pod.Metadata.Uid!] = (active, ready);
        }
        v.Cluster.ControlledPods.Records.Should().BeEquivalentTo(expected, when);

        var pods = v.Cluster.Objects<Pod>();
        foreach (var pdb in v.Cluster.Objects<PodDisruptionBudget>())
        {
            if (v.Cluster.CachedPdbMembers(pdb.Metadata.Uid!) is not { } cached) continue; // built on first use
            var labels = pdb.Spec!.Selector!.MatchLabels!;
            var covered = pods.Where(p => p.Metadata.Namespace == pdb.Metadata.Namespace && labels.All(l => p.Metadata.Labels?.GetValueOrDefault(l.Key) == l.Value))
                .ToDictionary(p => p.Metadata.Name!, p => new PdbPodFacts(p.Metadata.DeletionTimestamp is not null,
                    p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, ScalableController(p)));
            cached.Should().BeEquivalentTo(covered, $"PDB {pdb.Metadata.Namespace}/{pdb.Metadata.Name} {when}");
        }
    }

    private static string? ScalableController(Pod p) =>
        p.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { Kind: "ReplicaSet" or "StatefulSet" or "ReplicationController" } o ? o.Uid ?? "" : null;
}
