using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>Property reads try the position where the key was found last (<see cref="Obj.Prop"/>): objects that keep
/// their properties in different orders, read in turn, must each give their own values — a remembered position that
/// holds another key in this object is only a place to look first.</summary>
public sealed class ObjPropTests
{
    [Fact]
    public void Should_read_each_objects_own_values_whatever_order_it_keeps_them_in()
    {
        // A loaded object (keys parsed from JSON) and a built one with the same keys in another order
        var loaded = Obj.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","uid":"u-a"},"spec":{"replicas":1}}""");
        var built = new JsonObject
        {
            ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["uid"] = "u-b", ["name"] = "b" },
            ["spec"] = new JsonObject { ["replicas"] = 2 }, ["apiVersion"] = "apps/v1",
        };

        for (var round = 0; round < 3; round++)
        {
            // When each is read in turn, then the values are its own
            loaded.S("apiVersion").Should().Be("v1");
            built.S("apiVersion").Should().Be("apps/v1");
            built.S("kind").Should().Be("Deployment");
            loaded.S("kind").Should().Be("Pod");
            loaded.Name().Should().Be("a");
            built.Name().Should().Be("b");
            built.Uid().Should().Be("u-b");
            loaded.Uid().Should().Be("u-a");
            loaded.Spec().L("replicas").Should().Be(1);
            built.Spec().L("replicas").Should().Be(2);
            // And a key an object does not have reads as absent, wherever it was found last
            built.O("status").Should().BeNull();
            loaded.Meta().S("generateName").Should().BeNull();
            loaded.StringIs("kind", "Pod").Should().BeTrue();
            built.StringIs("kind", "Pod").Should().BeFalse();
        }
    }
}
