using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Client;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>A DELETED final is made lazily (JSON) or from the removed version's typed copy (in-process client); both
/// must equal what the store used to send: a deep copy of the removed version with the deletion's resourceVersion.</summary>
public sealed class DeletedFinalTests
{
    private static readonly JsonObject Pod = Obj.Parse(
        "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]},\"status\":{\"phase\":\"Running\"}}");

    /// <summary>What Remove used to commit: the removed version copied, with the new resourceVersion.</summary>
    private static JsonObject DeepCopyFinal(JsonObject removed, long version)
    {
        var final = (JsonObject)removed.DeepClone();
        final.Meta()["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        return final;
    }

    private static (ObjectStore Store, List<StoreChange> Changes) StoreWithPod()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var changes = new List<StoreChange>();
        store.Create(ServedResource.Pods, (JsonObject)Pod.DeepClone());
        store.Changed += changes.Add;
        return (store, changes);
    }

    [Fact]
    public void Should_send_the_removed_version_with_the_deletions_resource_version_as_the_final()
    {
        var (store, changes) = StoreWithPod();
        var stored = store.Get(ServedResource.Pods, "shop", "web-1")!;
        var storedText = stored.ToJsonString();

        var returned = store.Remove(ServedResource.Pods, "shop", "web-1");

        var deleted = changes.Should().ContainSingle().Subject;
        deleted.Type.Should().Be("DELETED");
        deleted.ResourceVersion.Should().Be(store.ResourceVersion);
        var expected = DeepCopyFinal(stored, store.ResourceVersion);
        JsonNode.DeepEquals(deleted.Object, expected).Should().BeTrue();
        deleted.Object.Should().BeSameAs(returned).And.BeSameAs(deleted.Object, "the final is made once");
        deleted.Last.Should().BeSameAs(stored, "content readers get the removed version itself");
        stored.ToJsonString().Should().Be(storedText, "the stored version is never edited");
    }

    [Fact]
    public void Should_make_no_final_when_the_caller_discards_it_and_nobody_reads_it()
    {
        var (store, changes) = StoreWithPod();
        var stored = store.Get(ServedResource.Pods, "shop", "web-1")!;

        store.Discard(ServedResource.Pods, "shop", "web-1").Should().BeTrue();
        store.Discard(ServedResource.Pods, "shop", "web-1").Should().BeFalse();

        store.Get(ServedResource.Pods, "shop", "web-1").Should().BeNull();
        var deleted = changes.Should().ContainSingle().Subject;
        deleted.ContentView().Object.Should().BeSameAs(stored);
        JsonNode.DeepEquals(deleted.Object, DeepCopyFinal(stored, deleted.ResourceVersion)).Should().BeTrue();
        deleted.ContentView().Should().BeSameAs(deleted, "once made, the final is what everyone reads");
    }

    [Fact]
    public void Should_replay_a_discarded_pods_final_to_a_watch_started_before_it()
    {
        var (store, _) = StoreWithPod();
        var stored = store.Get(ServedResource.Pods, "shop", "web-1")!;
        var from = store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        store.Discard(ServedResource.Pods, "shop", "web-1");

        using var byNode = store.Watch(ServedResource.Pods, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Parse("spec.nodeName=n1", "pods"), from);
        using var byLabel = store.Watch(ServedResource.Pods, "shop", LabelSelectorExpr.Parse("app=web"), FieldSelectorExpr.Everything, from);

        foreach (var sub in new[] { byNode, byLabel })
        {
            sub.Events.Reader.TryRead(out var change).Should().BeTrue();
            change!.Type.Should().Be("DELETED");
            JsonNode.DeepEquals(change.Object, DeepCopyFinal(stored, store.ResourceVersion)).Should().BeTrue();
        }
    }

    [Fact]
    public async Task Should_give_typed_watches_the_same_final_as_the_deep_copy()
    {
        using var vc = new VirtualCluster();
        var pod = vc.Pods().First(p => p.Spec?.NodeName is { Length: > 0 });
        var (ns, name, node) = (pod.Metadata.Namespace, pod.Metadata.Name!, pod.Spec!.NodeName!);
        var stored = vc.Cluster.Store.Get(ServedResource.Pods, ns, name)!;
        var options = new ListOptions { FieldSelector = "spec.nodeName=" + node, ResourceVersion = vc.Cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        await using var typed = vc.Client.WatchAsync<Pod>(ResourceKind.Pods, options).GetAsyncEnumerator();
        await using var json = vc.Client.WatchAsync<JsonObject>(ResourceKind.Pods, options).GetAsyncEnumerator();

        long? deletedAt = null;
        vc.Cluster.Store.Changed += c => { if (c.Type == "DELETED" && c.Last == stored) deletedAt = c.ResourceVersion; };

        await vc.Client.DeleteAsync(ResourceKind.Pods, ns, name, new DeleteOptions { GracePeriodSeconds = 0 });

        deletedAt.Should().NotBeNull();
        var expected = DeepCopyFinal(stored, deletedAt!.Value);
        (await NextDeleted(typed, name)).Should().Be(KubeJson.Serialize(TypedCopy.Of<Pod>(expected)));
        var jsonFinal = await NextDeleted(json, name);
        JsonNode.DeepEquals(Obj.Parse(jsonFinal), expected).Should().BeTrue();
    }

    [Fact]
    public async Task Should_build_a_typed_final_from_the_typed_copy_the_removed_version_already_had()
    {
        // Given a pod whose stored version has a typed copy (marked, so a second conversion would show)
        using var vc = new VirtualCluster();
        var pod = vc.Pods().First(p => p.Spec?.NodeName is { Length: > 0 });
        var (ns, name, node) = (pod.Metadata.Namespace, pod.Metadata.Name!, pod.Spec!.NodeName!);
        var stored = vc.Cluster.Store.Mutate(ServedResource.Pods, ns, name, p => p.Own("metadata")["annotations"] = new JsonObject { ["seen"] = "once" })!;
        var marked = TypedCopy.Of<Pod>(stored) with { Metadata = TypedCopy.Of<Pod>(stored).Metadata with { Annotations = new Dictionary<string, string> { ["seen"] = "cached" } } };
        vc.Cluster.Store.Typed(stored, _ => marked).Should().BeSameAs(marked);
        var options = new ListOptions { FieldSelector = "spec.nodeName=" + node, ResourceVersion = vc.Cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        await using var typed = vc.Client.WatchAsync<Pod>(ResourceKind.Pods, options).GetAsyncEnumerator();
        StoreChange? deletion = null;
        vc.Cluster.Store.Changed += c => { if (c.Type == "DELETED" && c.Last == stored) deletion = c; };

        // When it is deleted and the watch reads the DELETED event
        await vc.Client.DeleteAsync(ResourceKind.Pods, ns, name, new DeleteOptions { GracePeriodSeconds = 0 });
        Pod? final = null;
        while (final is null && await typed.MoveNextAsync())
            if (typed.Current.Type == "DELETED" && typed.Current.Object?.Metadata.Name == name) final = typed.Current.Object;

        // Then the deletion carried that typed copy, and the final is it with the deletion's resourceVersion — not a
        // second conversion of the removed version
        deletion!.RemovedTyped.Should().BeSameAs(marked);
        final!.Metadata.ResourceVersion.Should().Be(deletion.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        final.Metadata.Annotations.Should().Equal(new Dictionary<string, string> { ["seen"] = "cached" });
    }

    /// <summary>The serialized object of the first DELETED event for <paramref name="name"/>.</summary>
    private static async Task<string> NextDeleted<T>(IAsyncEnumerator<WatchEvent<T>> events, string name) where T : class
    {
        while (await events.MoveNextAsync())
        {
            var ev = events.Current;
            var text = ev.Object is JsonObject o ? o.ToJsonString() : KubeJson.Serialize(ev.Object);
            if (ev.Type == "DELETED" && text.Contains("\"name\":\"" + name + "\"", StringComparison.Ordinal)) return text;
        }
        throw new InvalidOperationException("the watch ended without the deletion");
    }
}
