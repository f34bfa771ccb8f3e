using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Sandbox.Api;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>Patches merge into a private copy of the stored object: nested objects merge in place in that copy only.</summary>
public sealed class PatchesTests
{
    private const string Stored = """
        {"metadata":{"name":"n","labels":{"a":"1","b":"2"}},
         "spec":{"unschedulable":false},
         "status":{"conditions":[{"type":"Ready","status":"True"},{"type":"MemoryPressure","status":"False"}],"nodeInfo":{"kubeletVersion":"v1.27.16"}},
         "data":{"k1":"v1","k2":"v2"}}
        """;

    [Theory]
    [InlineData(PatchType.Merge)]
    [InlineData(PatchType.StrategicMerge)]
    public void Should_merge_nested_objects_and_leave_the_stored_object_untouched(PatchType type)
    {
        // Given a stored object and its text
        var stored = (JsonObject)JsonNode.Parse(Stored)!;
        var before = stored.ToJsonString();

        // When a patch sets, replaces and removes nested fields
        var next = Patches.Apply(stored, type,
            """{"metadata":{"labels":{"a":"9","b":null,"c":"3"}},"status":{"nodeInfo":{"kubeletVersion":"v1.28.15"}},"data":{"k2":null,"k3":"+/=="}}""");

        // Then the result holds the merge and the stored object is unchanged
        next.ToJsonString().Should().Be(
            """{"metadata":{"name":"n","labels":{"a":"9","c":"3"}},"spec":{"unschedulable":false},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"MemoryPressure","status":"False"}],"nodeInfo":{"kubeletVersion":"v1.28.15"}},"data":{"k1":"v1","k3":"\u002B/=="}}""");
        stored.ToJsonString().Should().Be(before);
        next.Should().NotBeSameAs(stored);
    }

    [Fact]
    public void Should_merge_keyed_lists_by_key_under_strategic_merge_only()
    {
        var stored = (JsonObject)JsonNode.Parse(Stored)!;
        var patch = """{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""";

        var strategic = Patches.Apply(stored, PatchType.StrategicMerge, patch);
        var merge = Patches.Apply(stored, PatchType.Merge, patch);

        strategic["status"]!["conditions"]!.ToJsonString().Should().Be("""[{"type":"Ready","status":"False"},{"type":"MemoryPressure","status":"False"}]""");
        merge["status"]!["conditions"]!.ToJsonString().Should().Be("""[{"type":"Ready","status":"False"}]""");
        stored["status"]!["conditions"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public void Should_store_patched_strings_as_plain_strings_that_compare_equal_to_parsed_ones()
    {
        // Given a stored object parsed from text, and a patch that sets one value to what it already is and adds another
        var stored = (JsonObject)JsonNode.Parse(Stored)!;
        var next = Patches.Apply(stored, PatchType.Merge, """{"data":{"k1":"v1","k3":"a\u002Bb"}}""");

        // Then the patched strings are decoded once (plain string values), and the unchanged one still equals the stored one
        next["data"]!["k3"]!.GetValue<string>().Should().Be("a+b");
        next["data"]!["k3"]!.AsValue().TryGetValue<System.Text.Json.JsonElement>(out _).Should().BeFalse();
        JsonNode.DeepEquals(next["data"]!["k1"], stored["data"]!["k1"]).Should().BeTrue();
        JsonNode.DeepEquals(next, (JsonObject)JsonNode.Parse(Stored)!).Should().BeFalse();
        JsonNode.DeepEquals(Patches.Apply(stored, PatchType.Merge, """{"data":{"k1":"v1"}}"""), stored).Should().BeTrue();
    }
}
