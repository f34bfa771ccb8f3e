using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

public sealed class ObjectStoreTests
{
    private static ObjectStore StoreWith(int configMaps, int watchLog = 50_000)
    {
        var store = new ObjectStore(new ManualTimeProvider(), watchLogCapacity: watchLog);
        for (var i = 0; i < configMaps; i++)
            store.Create(ServedResource.ConfigMaps, Obj.Parse("{\"metadata\":{\"name\":\"cm-" + i.ToString("D3") + "\",\"namespace\":\"" + (i % 2 == 0 ? "a" : "b") + "\"}}"));
        return store;
    }

    [Fact]
    public void Should_page_with_limit_and_continue_until_every_object_was_seen()
    {
        var store = StoreWith(25);
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = store.List(ServedResource.ConfigMaps, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Everything, 10, token);
            seen.AddRange(page.Items.Select(i => i.Name()));
            token = page.Continue;
            pages++;
        } while (token is not null);

        pages.Should().Be(3);
        seen.Should().HaveCount(25).And.OnlyHaveUniqueItems();
        store.List(ServedResource.ConfigMaps, "a", LabelSelectorExpr.Everything, FieldSelectorExpr.Everything, 0, null).Items.Should().HaveCount(13);
    }

    [Fact]
    public void Should_assign_uid_versions_and_bump_generation_only_on_spec_changes()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var dep = store.Create(ServedResource.Deployments, Obj.Parse("""{"metadata":{"name":"d","namespace":"x"},"spec":{"replicas":1}}"""));
        dep.O("metadata").L("generation").Should().Be(1);
        dep.Uid().Should().NotBeEmpty();

        var statusOnly = store.Mutate(ServedResource.Deployments, "x", "d", d => d["status"] = new JsonObject { ["replicas"] = 1 })!;
        statusOnly.O("metadata").L("generation").Should().Be(1);
        var scaled = store.Mutate(ServedResource.Deployments, "x", "d", d => d.Spec()!["replicas"] = 2)!;
        scaled.O("metadata").L("generation").Should().Be(2);
        long.Parse(scaled.O("metadata").S("resourceVersion")!).Should().BeGreaterThan(long.Parse(statusOnly.O("metadata").S("resourceVersion")!));
    }

    [Fact]
    public void Should_keep_generation_and_write_the_status_when_a_status_write_says_the_spec_is_unchanged()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var dep = store.Create(ServedResource.Deployments, Obj.Parse("""{"metadata":{"name":"d","namespace":"x"},"spec":{"replicas":1}}"""));
        var scaled = store.Mutate(ServedResource.Deployments, "x", "d", d => d.Spec()!["replicas"] = 2)!;

        var copy = (JsonObject)scaled.DeepClone();
        copy["status"] = new JsonObject { ["replicas"] = 2 };
        copy.Meta().Remove("resourceVersion");
        var written = store.ReplaceKeepingSpec(ServedResource.Deployments, copy);

        written.O("metadata").L("generation").Should().Be(2);
        written.Status().L("replicas").Should().Be(2);
        store.Get(ServedResource.Deployments, "x", "d").Should().BeSameAs(written);
        long.Parse(written.O("metadata").S("resourceVersion")!).Should().BeGreaterThan(long.Parse(scaled.O("metadata").S("resourceVersion")!));
        dep.O("metadata").L("generation").Should().Be(1, "the stored versions are never edited");
    }

    [Fact]
    public void Should_replay_changes_since_a_version_and_answer_410_when_it_was_compacted()
    {
        var store = StoreWith(3, watchLog: 5);
        var since = store.ResourceVersion;
        store.Mutate(ServedResource.ConfigMaps, "a", "cm-000", c => c["data"] = new JsonObject { ["k"] = "v" });
        store.Remove(ServedResource.ConfigMaps, "b", "cm-001");

        using var sub = store.Watch(ServedResource.ConfigMaps, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Everything, since.ToString());
        sub.Events.Reader.TryRead(out var first).Should().BeTrue();
        first!.Type.Should().Be("MODIFIED");
        sub.Events.Reader.TryRead(out var second).Should().BeTrue();
        second!.Type.Should().Be("DELETED");

        for (var i = 0; i < 10; i++) store.Mutate(ServedResource.ConfigMaps, "a", "cm-000", c => c["data"] = new JsonObject { ["k"] = i.ToString() });
        var old = () => store.Watch(ServedResource.ConfigMaps, null, LabelSelectorExpr.Everything, FieldSelectorExpr.Everything, since.ToString());
        old.Should().Throw<KubeApiException>().Which.Should().Match<KubeApiException>(e => e.Code == 410 && e.Reason == "Expired");
    }
}
