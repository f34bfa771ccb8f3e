using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>
/// <see cref="SandboxOptions.HoldWorkloadStatus"/> (rehearsals): ReplicaSet status writes — and the Deployment status
/// writes they cause — wait until a client reads, writes or watches ReplicaSets or Deployments. What the client then
/// reads must be what a cluster that wrote every status shows at that moment.
/// </summary>
public sealed class HeldWorkloadStatusTests
{
    [Fact]
    public async Task Should_write_nothing_until_asked_and_then_show_the_statuses_a_cluster_writing_every_one_shows()
    {
        // Given the same cluster twice: one writes every status, one holds ReplicaSet statuses back
        using var eager = new VirtualCluster();
        using var held = new VirtualCluster(options: new SandboxOptions { HoldWorkloadStatus = true });
        Statuses(held).Should().Equal(Statuses(eager), "after loading");

        // When one web pod is evicted in both, and time passes in steps while the replacement comes up
        var stored = WebReplicaSet(held);
        var eagerStored = WebReplicaSet(eager);
        foreach (var v in new[] { eager, held }) await v.Client.EvictAsync("shop", v.Pods("web").OrderBy(p => p.Metadata.Name).First().Metadata.Name!);

        // Then the held cluster has not written its ReplicaSet (the stored version is the one from before)
        WebReplicaSet(held).Should().BeSameAs(stored, "nobody has asked for ReplicaSets since the eviction");
        WebReplicaSet(eager).Should().NotBeSameAs(eagerStored, "the other cluster wrote it at once");
        for (var step = 0; step < 6; step++)
        {
            foreach (var v in new[] { eager, held }) v.Advance(1);
            // And what a client reads is the same in both, moment by moment
            Statuses(held).Should().Equal(Statuses(eager), $"{step + 1} s after the eviction");
        }
    }

    [Fact]
    public async Task Should_write_each_status_while_a_client_watches_replica_sets()
    {
        // Given a held cluster with a watch open on ReplicaSets in shop
        using var v = new VirtualCluster(options: new SandboxOptions { HoldWorkloadStatus = true });
        using var watch = v.Cluster.ApiWatch(ServedResource.ReplicaSets, "shop", null, null, v.Cluster.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // When a web pod is evicted
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);

        // Then the watch sees the ReplicaSet count one ready pod fewer at once, without anyone reading (before it, the
        // statuses the load held back, written when the watch opened)
        var web = new List<long?>();
        while (watch.Events.Reader.TryRead(out var change))
            if (change.Type == "MODIFIED" && change.Object.Name().StartsWith("web-", StringComparison.Ordinal)) web.Add(change.Object.Status().L("readyReplicas"));
        web.Should().NotBeEmpty().And.EndWith(2L);
    }

    [Fact]
    public async Task Should_write_held_statuses_before_a_client_writes_a_deployment()
    {
        // Given a held cluster where an eviction left the web ReplicaSet's status unwritten
        using var v = new VirtualCluster(options: new SandboxOptions { HoldWorkloadStatus = true });
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        var before = WebReplicaSet(v);

        // When a client patches the Deployment (a write reads the stored object first)
        var patched = await v.Client.PatchAsync<Deployment>(Kube.ResourceKind.Deployments, "shop", "web", Kube.PatchType.Merge,
            """{"metadata":{"annotations":{"note":"x"}}}""");

        // Then the held statuses were written first: the patch returns the Deployment counting 2 ready pods
        WebReplicaSet(v).Should().NotBeSameAs(before);
        patched.Status!.ReadyReplicas.Should().Be(2);
    }

    private static JsonObject WebReplicaSet(VirtualCluster v) =>
        v.Cluster.Store.All(ServedResource.ReplicaSets, "shop").Single(r => r.Name().StartsWith("web-", StringComparison.Ordinal));

    /// <summary>Every ReplicaSet's and Deployment's status as a client reads it (which writes what was held back).</summary>
    private static List<string> Statuses(VirtualCluster v) =>
        v.Cluster.Objects<ReplicaSet>().Select(r => $"rs {r.Metadata.Namespace}/{r.Metadata.Name}: {Json(r.Status)}")
            .Concat(v.Cluster.Objects<Deployment>().Select(d => $"deploy {d.Metadata.Namespace}/{d.Metadata.Name}: {Json(d.Status)}"))
            .ToList();

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);
}
