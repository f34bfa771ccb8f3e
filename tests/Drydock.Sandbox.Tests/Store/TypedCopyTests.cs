using System.Text.Json.Nodes;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Client;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>The in-process client's typed copies equal what the serializer makes of the object's JSON text.</summary>
public sealed class TypedCopyTests
{
    [Fact]
    public void Should_convert_base64_and_markup_characters_like_the_serializer_does()
    {
        // Given a ConfigMap whose values hold characters the default encoder escapes ('+', '<', '&', quotes, non-ASCII)
        var o = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"state","namespace":"kube-system","resourceVersion":"12",
             "labels":{"a":"b"},"creationTimestamp":"2026-03-01T12:00:00Z"},
             "data":{"note":"<b>a & 'b'</b> \"q\" é ✓ \\ \n","empty":""},
             "binaryData":{"chunk-0":"H4sIAAAAAAAA/+y9+3fbRpYg/H==","chunk-1":"ab+/cd=="}}
            """)!;

        // When it is converted, twice (the reused buffer must not leak the first object into the second)
        var first = TypedCopy.Of<ConfigMap>(o);
        var again = TypedCopy.Of<ConfigMap>(o);

        // Then both equal the serializer's reading of the JSON text
        var expected = KubeJson.Serialize(KubeJson.Deserialize<ConfigMap>(o.ToJsonString()));
        KubeJson.Serialize(first).Should().Be(expected);
        KubeJson.Serialize(again).Should().Be(expected);
        first.Data!["note"].Should().Be("<b>a & 'b'</b> \"q\" é ✓ \\ \n");
        first.BinaryData!["chunk-1"].Should().Be("ab+/cd==");
    }

    [Fact]
    public void Should_convert_a_small_object_after_a_large_one()
    {
        // Given a large ConfigMap converted first, then a small Pod
        var big = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "big" },
            ["data"] = new JsonObject { ["blob"] = new string('+', 300_000) } };
        var pod = (JsonObject)JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"},"spec":{"nodeName":"worker-1"}}""")!;

        // When both are converted in turn
        TypedCopy.Of<ConfigMap>(big).Data!["blob"].Should().HaveLength(300_000);
        var typed = TypedCopy.Of<Pod>(pod);

        // Then the pod is read alone
        typed.Metadata.Name.Should().Be("p");
        typed.Spec!.NodeName.Should().Be("worker-1");
    }
}
