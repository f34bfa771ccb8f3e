using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>Pods are built from copies of their template made by <see cref="MaterializedJson"/>: the copy must write
/// exactly what the parsed template writes, and its strings must be plain values (the same string on every read)
/// rather than views of the parsed document that decode a new string each time.</summary>
public sealed class MaterializedJsonTests
{
    private const string Template = """
        {"labels":{"app":"web","tier":"caf\u00e9 \"front\""},"spec":{"replicas":1.0,"big":12345678901234567890,
         "ratio":1e3,"hostNetwork":false,"enabled":true,"none":null,"containers":[{"name":"c","image":"nginx:1.27",
         "resources":{"requests":{"cpu":"250m","memory":"64Mi"}}},"x",3,[true,null]]}}
        """;

    [Fact]
    public void Should_write_exactly_what_the_parsed_template_writes()
    {
        var parsed = JsonNode.Parse(Template)!.AsObject();
        var copy = MaterializedJson.CopyObject(parsed);
        Assert.Equal(parsed.ToJsonString(), copy.ToJsonString());
        Assert.Equal(parsed.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Assert.True(JsonNode.DeepEquals(parsed, copy));
    }

    [Fact]
    public void Should_build_from_a_parsed_document_what_copying_the_parsed_tree_builds()
    {
        using var document = JsonDocument.Parse(Template);
        var built = MaterializedJson.FromElement(document.RootElement)!.AsObject();
        var copied = MaterializedJson.CopyObject(JsonNode.Parse(Template)!.AsObject());
        Assert.Equal(copied.ToJsonString(), built.ToJsonString());
        Assert.Equal(copied.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            built.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var image = built["spec"]!["containers"]![0]!["image"]!;
        Assert.Same(image.GetValue<string>(), image.GetValue<string>());
    }

    [Fact]
    public void Should_refuse_an_object_with_a_property_twice_in_one_line()
    {
        using var document = JsonDocument.Parse("""{"metadata":{"name":"a","name":"b"}}""");
        var error = Assert.Throws<FormatException>(() => MaterializedJson.FromElement(document.RootElement));
        Assert.Equal("an object has the property \"name\" twice", error.Message);
    }

    [Fact]
    public void Should_hold_each_string_once_instead_of_decoding_it_per_read()
    {
        var parsed = JsonNode.Parse(Template)!.AsObject();
        var image = MaterializedJson.CopyObject(parsed)["spec"]!["containers"]![0]!["image"]!;
        Assert.Same(image.GetValue<string>(), image.GetValue<string>());
        Assert.Same(image.GetValue<string>(), image.DeepClone().GetValue<string>());
    }

    [Fact]
    public void Should_copy_not_share_nodes_with_the_source()
    {
        var parsed = JsonNode.Parse(Template)!.AsObject();
        var copy = MaterializedJson.CopyObject(parsed);
        copy["labels"]!["app"] = "changed";
        copy["spec"]!["containers"]!.AsArray().RemoveAt(0);
        Assert.Equal("web", parsed["labels"]!["app"]!.GetValue<string>());
        Assert.Equal(4, parsed["spec"]!["containers"]!.AsArray().Count);
    }
}
