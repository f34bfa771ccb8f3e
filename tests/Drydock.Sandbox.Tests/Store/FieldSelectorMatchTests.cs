using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>Field selector matching compares values in place: parsed (JsonElement-backed) and built values must match
/// alike, missing and non-string fields read as "", and a match allocates nothing.</summary>
public sealed class FieldSelectorMatchTests
{
    private const string PodJson =
        """{"metadata":{"name":"p","namespace":"ns"},"spec":{"nodeName":"n1","restartPolicy":7,"schedulerName":null},"status":{"phase":"Running"}}""";

    private static JsonObject Built() => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "ns" },
        ["spec"] = new JsonObject { ["nodeName"] = "n1", ["restartPolicy"] = 7, ["schedulerName"] = null },
        ["status"] = new JsonObject { ["phase"] = "Running" },
    };

    [Theory]
    [InlineData("spec.nodeName=n1", true)]
    [InlineData("spec.nodeName==n2", false)]
    [InlineData("spec.nodeName!=n1", false)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("metadata.name=p,metadata.namespace=ns", true)]
    [InlineData("metadata.namespace!=ns", false)]
    [InlineData("status.phase=Running,spec.nodeName=n1", true)]
    [InlineData("status.phase=Running,spec.nodeName=n2", false)]
    [InlineData("spec.restartPolicy=", true)]
    [InlineData("spec.restartPolicy=7", false)]
    [InlineData("spec.schedulerName=", true)]
    [InlineData("spec.serviceAccountName=", true)]
    [InlineData("status.podIP!=", false)]
    [InlineData("status.nominatedNodeName=x", false)]
    public void Should_match_parsed_and_built_pods_alike_reading_missing_and_non_string_fields_as_empty(string selector, bool expected)
    {
        var fields = FieldSelectorExpr.Parse(selector, "pods");

        fields.Matches(JsonNode.Parse(PodJson)!.AsObject()).Should().Be(expected, "parsed");
        fields.Matches(Built()).Should().Be(expected, "built");
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"n"},"spec":{"unschedulable":true}}""", "spec.unschedulable=true", true)]
    [InlineData("""{"metadata":{"name":"n"},"spec":{}}""", "spec.unschedulable=false", true)]
    [InlineData("""{"metadata":{"name":"n"}}""", "spec.unschedulable!=false", false)]
    [InlineData("""{"metadata":{"name":"n"},"spec":{"unschedulable":"true"}}""", "spec.unschedulable=true", false)]
    public void Should_read_spec_unschedulable_of_nodes_as_true_or_false(string node, string selector, bool expected) =>
        FieldSelectorExpr.Parse(selector, "nodes").Matches(JsonNode.Parse(node)!.AsObject()).Should().Be(expected);

    [Fact]
    public void Should_match_without_allocating()
    {
        var fields = FieldSelectorExpr.Parse("spec.nodeName=n1,metadata.namespace=ns,status.phase!=Succeeded,metadata.name=p", "pods");
        var parsed = JsonNode.Parse(PodJson)!.AsObject();
        var built = Built();
        for (var i = 0; i < 100; i++) { fields.Matches(parsed); fields.Matches(built); } // materialize the parsed tree, JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 1_000; i++)
            if (fields.Matches(parsed) && fields.Matches(built)) matched++;

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        matched.Should().Be(1_000);
    }
}
