using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>New versions share what they do not change with the stored version: an edit through
/// <see cref="CopyOnWrite.Own(JsonObject, string)"/> leaves the stored version as it was, and the store (with
/// <see cref="ObjectStore.VerifyStoredVersions"/>, on in these tests) refuses an edit that wrote into a shared node.</summary>
public sealed class CopyOnWriteTests
{
    private const string Pod =
        """{"metadata":{"name":"p","namespace":"x","labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"i:1"}]},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}]}}""";

    [Fact]
    public void Should_share_untouched_subtrees_and_copy_what_the_edit_owns()
    {
        var stored = Obj.Parse(Pod);
        var before = stored.ToJsonString();

        var next = CopyOnWrite.NewVersion(stored);
        var status = next.Own("status");
        status["phase"] = "Running";
        var conditions = status.OwnArray("conditions")!;
        conditions.Own(1)!["status"] = "True";
        next.Meta()["resourceVersion"] = "7";

        stored.ToJsonString().Should().Be(before);
        next["spec"].Should().BeSameAs(stored["spec"]);
        next["metadata"]!["labels"].Should().BeSameAs(stored["metadata"]!["labels"]);
        conditions[0].Should().BeSameAs(stored["status"]!["conditions"]![0]);
        next.ToJsonString().Should().Be(before
            .Replace("\"namespace\":\"x\",\"labels\":{\"app\":\"a\"}}", "\"namespace\":\"x\",\"labels\":{\"app\":\"a\"},\"resourceVersion\":\"7\"}", StringComparison.Ordinal)
            .Replace("Pending", "Running", StringComparison.Ordinal)
            .Replace("\"Ready\",\"status\":\"False\"", "\"Ready\",\"status\":\"True\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_append_an_owned_object_where_there_was_none()
    {
        var stored = Obj.Parse("""{"metadata":{"name":"p"},"spec":{}}""");

        var next = CopyOnWrite.NewVersion(stored);
        next.Own("status")["phase"] = "Running";

        next.ToJsonString().Should().Be("""{"metadata":{"name":"p"},"spec":{},"status":{"phase":"Running"}}""");
        stored.ContainsKey("status").Should().BeFalse();
    }

    [Fact]
    public void Should_refuse_a_shared_edit_that_wrote_into_the_stored_version()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        store.Create(ServedResource.Pods, Obj.Parse(Pod));

        var act = () => store.Mutate(ServedResource.Pods, "x", "p", p => p.Status()!["phase"] = "Running", shared: true);

        act.Should().Throw<InvalidOperationException>().WithMessage("the stored version of Pod x/p changed after its commit*CopyOnWrite.Own*");
    }

    [Fact]
    public void Should_store_a_shared_edit_through_owned_nodes_and_keep_the_old_version_intact()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var first = store.Create(ServedResource.Pods, Obj.Parse(Pod));
        var firstJson = first.ToJsonString();

        var second = store.Mutate(ServedResource.Pods, "x", "p", p => p.Own("status")["phase"] = "Running", shared: true)!;

        first.ToJsonString().Should().Be(firstJson);
        second.Status().S("phase").Should().Be("Running");
        second["spec"].Should().BeSameAs(first["spec"]);
        store.Get(ServedResource.Pods, "x", "p").Should().BeSameAs(second);
    }

    [Theory]
    [InlineData("""{"a":{"b":[1,{"c":"d"}]}}""", """{"a":{"b":[1,{"c":"d"}]}}""", true)]
    [InlineData("""{"a":{"b":[1,{"c":"d"}]}}""", """{"a":{"b":[1,{"c":"e"}]}}""", false)]
    [InlineData("""{"a":1,"b":2}""", """{"b":2,"a":1}""", true)]
    [InlineData("""{"a":1}""", """{"a":1,"b":null}""", false)]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""", false)]
    public void Should_compare_trees_as_deep_equality_does(string a, string b, bool same)
    {
        var (x, y) = (JsonNode.Parse(a), JsonNode.Parse(b));

        CopyOnWrite.SameTree(x, y).Should().Be(same);
        JsonNode.DeepEquals(x, y).Should().Be(same);
    }

    [Fact]
    public void Should_find_shared_subtrees_equal_without_walking_them()
    {
        var stored = Obj.Parse(Pod);
        var next = CopyOnWrite.NewVersion(stored);

        CopyOnWrite.SameTree(next, stored).Should().BeTrue();
        next.Own("status")["phase"] = "Running";
        CopyOnWrite.SameTree(next, stored).Should().BeFalse();
    }
}
