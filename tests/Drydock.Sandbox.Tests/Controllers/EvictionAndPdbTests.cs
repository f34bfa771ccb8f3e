using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>Eviction rules and the disruption controller, in virtual time through the in-process client.</summary>
public sealed class EvictionAndPdbTests
{
    [Fact]
    public async Task Should_update_pdb_status_after_each_eviction_and_refuse_the_second()
    {
        // Given shop/web: 3 replicas, PDB maxUnavailable 1
        using var v = new VirtualCluster();
        var pdb = v.Pdb("shop", "web");
        (pdb.Status!.ExpectedPods, pdb.Status.CurrentHealthy, pdb.Status.DesiredHealthy, pdb.Status.DisruptionsAllowed).Should().Be((3, 3, 2, 1));
        var web = v.Pods("web");

        // When one pod is evicted
        await v.Client.EvictAsync("shop", web[0].Metadata.Name!);

        // Then the budget is spent at once and a second eviction gets 429 with the budget's cause
        pdb = v.Pdb("shop", "web");
        (pdb.Status!.CurrentHealthy, pdb.Status.DisruptionsAllowed).Should().Be((2, 0));
        var second = async () => await v.Client.EvictAsync("shop", web[1].Metadata.Name!);
        var error = (await second.Should().ThrowAsync<KubeApiException>()).Which;
        error.Code.Should().Be(429);
        error.Message.Should().Be("Cannot evict pod as it would violate the pod's disruption budget.");
        error.Status.Details!.Causes![0].Message.Should().Be("The disruption budget web needs 2 healthy pods and has 2 currently");

        // When the evicted pod has terminated (grace 5 s) and its replacement started (2 s)
        v.Advance(10);

        // Then the budget allows one disruption again
        pdb = v.Pdb("shop", "web");
        (pdb.Status!.ExpectedPods, pdb.Status.CurrentHealthy, pdb.Status.DisruptionsAllowed).Should().Be((3, 3, 1));
        v.Cluster.Stats.Violations.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_expect_as_many_pods_as_the_deployment_asks_for_each_time_it_is_scaled()
    {
        // Given shop/web: 3 replicas, PDB maxUnavailable 1 (its expected count is the Deployment's scale)
        using var v = new VirtualCluster();
        v.Pdb("shop", "web").Status!.ExpectedPods.Should().Be(3);

        foreach (var replicas in new[] { 5, 2, 4 })
        {
            // When the Deployment is scaled
            await v.Client.PatchAsync<Deployment>(ResourceKind.Deployments, "shop", "web", PatchType.Merge, "{\"spec\":{\"replicas\":" + replicas + "}}");

            // Then the budget expects the new scale at once, and counts the pods once they run
            (v.Pdb("shop", "web").Status!.ExpectedPods, v.Pdb("shop", "web").Status!.DesiredHealthy).Should().Be((replicas, replicas - 1), $"scaled to {replicas}");
            v.Advance(10);
            var pdb = v.Pdb("shop", "web");
            (pdb.Status!.ExpectedPods, pdb.Status.CurrentHealthy, pdb.Status.DisruptionsAllowed).Should().Be((replicas, replicas, 1), $"{replicas} running");
        }
    }

    [Fact]
    public async Task Should_take_the_grace_period_to_remove_an_evicted_pod()
    {
        using var v = new VirtualCluster();
        var pod = v.Pods("web")[0];

        await v.Client.EvictAsync("shop", pod.Metadata.Name!);
        var terminating = await v.Client.GetAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!);
        terminating.Metadata.DeletionTimestamp.Should().Be(v.Clock.GetUtcNow().AddSeconds(5));
        terminating.Metadata.DeletionGracePeriodSeconds.Should().Be(5);

        v.Advance(4.5);
        (await v.Client.GetAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!)).Metadata.Uid.Should().Be(pod.Metadata.Uid);

        v.Advance(1);
        var gone = async () => await v.Client.GetAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!);
        (await gone.Should().ThrowAsync<KubeApiException>()).Which.IsNotFound.Should().BeTrue();
    }

    [Fact]
    public async Task Should_bring_evicted_deployment_pods_back_on_other_nodes_and_leave_daemonset_pods()
    {
        // Given a cordoned worker
        using var v = new VirtualCluster();
        var node = v.Pods("web")[0].Spec!.NodeName!;
        await v.Client.PatchAsync<Node>(ResourceKind.Nodes, null, node, PatchType.StrategicMerge, """{"spec":{"unschedulable":true}}""");
        var dsBefore = v.Pods(ns: "kube-system").Where(p => p.Metadata.Name!.StartsWith("kube-proxy-")).Select(p => p.Metadata.Uid).ToList();

        // When the web pod on it is evicted and time passes
        var web = v.Pods("web").Single(p => p.Spec!.NodeName == node);
        await v.Client.EvictAsync("shop", web.Metadata.Name!);
        v.Advance(10);

        // Then web has 3 ready pods again, none on the cordoned node; kube-proxy pods are the same ones
        var now = v.Pods("web");
        now.Should().HaveCount(3).And.OnlyContain(p => VirtualCluster.Ready(p) && p.Spec!.NodeName != node);
        v.Pods(ns: "kube-system").Where(p => p.Metadata.Name!.StartsWith("kube-proxy-")).Select(p => p.Metadata.Uid).Should().BeEquivalentTo(dsBefore);
    }

    [Fact]
    public async Task Should_count_a_violation_when_a_blocked_pod_is_deleted_directly()
    {
        // Given payments (PDB minAvailable 2 of 2) — eviction refuses
        using var v = new VirtualCluster();
        var pod = v.Pods("payments")[0];
        var evict = async () => await v.Client.EvictAsync("shop", pod.Metadata.Name!);
        (await evict.Should().ThrowAsync<KubeApiException>()).Which.Code.Should().Be(429);
        v.Cluster.Stats.Violations.Should().BeEmpty();

        // When the pod is deleted with a plain DELETE
        await v.Client.DeleteAsync(ResourceKind.Pods, "shop", pod.Metadata.Name!);

        // Then that is a PDB violation
        v.Cluster.Stats.Violations.Should().ContainSingle().Which.Should().Match<Cluster.PdbViolation>(x => x.Pdb == "payments" && x.Pod == pod.Metadata.Name && x.Via == "DELETE");
    }

    [Fact]
    public async Task Should_answer_500_when_two_pdbs_cover_the_pod()
    {
        using var v = new VirtualCluster();
        await v.Client.CreateAsync(ResourceKind.PodDisruptionBudgets, "shop", new PodDisruptionBudget
        {
            Metadata = new ObjectMeta { Name = "web-2", Namespace = "shop" },
            Spec = new PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        });

        var evict = async () => await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);

        var e = (await evict.Should().ThrowAsync<KubeApiException>()).Which;
        e.Code.Should().Be(500);
        e.Message.Should().Contain("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    }

    [Theory]
    [InlineData("AlwaysAllow", true)]
    [InlineData("IfHealthyBudget", false)]
    public async Task Should_apply_unhealthyPodEvictionPolicy_to_a_running_but_unready_pod(string policy, bool evictable)
    {
        // Given payments' PDB (0 allowed) with the policy, and one payments pod Running but not Ready
        using var v = new VirtualCluster();
        await v.Client.PatchAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, "shop", "payments", PatchType.Merge,
            "{\"spec\":{\"unhealthyPodEvictionPolicy\":\"" + policy + "\"}}");
        var pod = v.Pods("payments")[0].Metadata.Name!;
        v.Cluster.ApiPatch(Drydock.Sandbox.Store.ServedResource.Pods, "shop", pod, PatchType.StrategicMerge,
            """{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", dryRun: false, status: true);

        // When it is evicted
        var evict = async () => await v.Client.EvictAsync("shop", pod);

        // Then AlwaysAllow lets it go; IfHealthyBudget (1 healthy < 2 desired) refuses
        if (evictable) await evict.Should().NotThrowAsync();
        else (await evict.Should().ThrowAsync<KubeApiException>()).Which.Code.Should().Be(429);
    }

    [Fact]
    public async Task Should_not_change_anything_on_a_dry_run_eviction()
    {
        using var v = new VirtualCluster();
        var pod = v.Pods("web")[0];

        await v.Client.EvictAsync("shop", pod.Metadata.Name!, dryRun: DryRun.Server);

        (await v.Client.GetAsync<Pod>(ResourceKind.Pods, "shop", pod.Metadata.Name!)).Metadata.DeletionTimestamp.Should().BeNull();
        v.Pdb("shop", "web").Status!.DisruptionsAllowed.Should().Be(1);
    }
}
