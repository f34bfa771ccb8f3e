using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>Unusual trees: the direct readers either read them exactly as the serializer does or hand them to it, so
/// the typed copy (or the error) is always the serializer's.</summary>
public sealed class DirectTypedCopyEdgeCaseTests
{
    private const string Meta = "\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\"}";

    [Theory]
    [InlineData("missing everything", """{}""")]
    [InlineData("no spec, no status", """{"apiVersion":"v1","kind":"Pod",""" + Meta + "}")]
    [InlineData("explicit nulls where the model allows them",
        """{"apiVersion":null,"kind":null,"metadata":{"name":null,"labels":null,"ownerReferences":null,"creationTimestamp":null},"spec":{"nodeName":null,"affinity":null,"priority":null},"status":null}""")]
    [InlineData("null map values and list items", """{""" + Meta + ""","spec":{"containers":[{"name":"c","command":[null,"x"]}],"nodeSelector":{"a":null}}}""")]
    [InlineData("nulls where the model is not nullable", """{"metadata":null,"spec":{"containers":null,"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":null}}}},"status":{"containerStatuses":[{"name":"c","image":null}]}}""")]
    [InlineData("unknown fields at every level",
        """{"extra":1,"metadata":{"name":"p","managedFields":[{"x":1}]},"spec":{"dnsPolicy":"ClusterFirst","containers":[{"name":"c","ports":[{"containerPort":80}]}]},"status":{"podIPs":[{"ip":"1"}],"containerStatuses":[{"name":"c","state":{"running":{}}}]}}""")]
    [InlineData("empty arrays and objects",
        """{"metadata":{"labels":{},"finalizers":[],"ownerReferences":[]},"spec":{"containers":[],"tolerations":[],"volumes":[],"affinity":{},"nodeSelector":{}},"status":{"conditions":[]}}""")]
    [InlineData("fractional timestamp and offset", """{"metadata":{"creationTimestamp":"2026-03-01T12:00:00.123456+02:00"}}""")]
    public void Should_read_pods_directly_as_the_serializer_does(string because, string json)
    {
        // Given a pod tree parsed from text
        var o = Obj.Parse(json);

        // When it is converted, Then the direct reader handles it and agrees with the serializer
        TypedCopyCheck.ReadsDirectlyAsSerializer<Pod>(o);
        _ = because;
    }

    [Theory]
    [InlineData("a number as a string", """{"spec":{"priority":"5"}}""")]
    [InlineData("a fractional number for an int", """{"spec":{"priority":5.5}}""")]
    [InlineData("an int out of range", """{"spec":{"priority":3000000000}}""")]
    [InlineData("a string where an object belongs", """{"spec":"none"}""")]
    [InlineData("a null container", """{"spec":{"containers":[null]}}""")]
    [InlineData("a missing required name", """{"spec":{"containers":[{"image":"x"}]}}""")]
    [InlineData("a null non-nullable bool", """{"status":{"containerStatuses":[{"name":"c","ready":null}]}}""")]
    [InlineData("an unparsable time", """{"metadata":{"creationTimestamp":"yesterday"}}""")]
    [InlineData("a number for a time", """{"metadata":{"creationTimestamp":5}}""")]
    [InlineData("a boolean as a string", """{"spec":{"hostNetwork":"true"}}""")]
    public void Should_hand_pods_it_cannot_read_exactly_to_the_serializer(string because, string json)
    {
        // Given a pod tree the serializer reads differently from the models' plain shape (or rejects)
        var o = Obj.Parse(json);

        // When it is converted, Then the result or error is the serializer's and the direct reader declined it
        TypedCopyCheck.ConvertsAsSerializer<Pod>(o).Should().BeFalse(because);
    }

    [Fact]
    public void Should_read_numbers_stored_as_clr_values_as_the_serializer_does()
    {
        // Given trees built in code, numbers held as int, long and whole doubles (as controllers write them)
        JsonObject Pod(JsonNode? priority, JsonNode? grace) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = "p", ["generation"] = 3 },
            ["spec"] = new JsonObject { ["priority"] = priority, ["terminationGracePeriodSeconds"] = grace, ["containers"] = new JsonArray() },
            ["status"] = new JsonObject { ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "c", ["restartCount"] = 2L, ["ready"] = true }) },
        };

        // Then ints and longs are read directly, and whatever the serializer reads differently is handed to it
        TypedCopyCheck.ReadsDirectlyAsSerializer<Pod>(Pod(7, 30L));
        TypedCopyCheck.ReadsDirectlyAsSerializer<Pod>(Pod(7L, 30));
        TypedCopyCheck.ConvertsAsSerializer<Pod>(Pod(7.0, 30)).Should().BeFalse("a double goes to the serializer");
        TypedCopyCheck.ConvertsAsSerializer<Pod>(Pod(7, 30.5)).Should().BeFalse();
        TypedCopyCheck.ConvertsAsSerializer<Pod>(Pod(JsonValue.Create(long.MaxValue), 30)).Should().BeFalse("out of int range");
        TypedCopyCheck.ConvertsAsSerializer<Pod>(Pod((short)7, 30)).Should().BeFalse("a short goes to the serializer");
    }

    [Theory]
    [InlineData("""{"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"web"}}},"status":{"disruptionsAllowed":1,"currentHealthy":3,"desiredHealthy":2,"expectedPods":3}}""")]
    [InlineData("""{"spec":{"minAvailable":"50%","selector":{"matchExpressions":[{"key":"app","operator":"In","values":["a","b"]}]}}}""")]
    [InlineData("""{"spec":{"minAvailable":null,"maxUnavailable":null},"status":{"disruptedPods":{"web-1":"2026-03-01T12:00:00Z"},"conditions":[{"type":"DisruptionAllowed","status":"True","observedGeneration":1,"lastTransitionTime":"2026-03-01T12:00:00Z","reason":"SufficientPods","message":""}]}}""")]
    public void Should_read_budgets_directly_as_the_serializer_does(string json) =>
        TypedCopyCheck.ReadsDirectlyAsSerializer<PodDisruptionBudget>(Obj.Parse(json));

    [Theory]
    [InlineData("""{"spec":{"maxUnavailable":1.5}}""")]
    [InlineData("""{"spec":{"maxUnavailable":true}}""")]
    [InlineData("""{"status":{"disruptedPods":{"web-1":null}}}""")]
    [InlineData("""{"status":{"disruptionsAllowed":null}}""")]
    public void Should_hand_budgets_it_cannot_read_exactly_to_the_serializer(string json) =>
        TypedCopyCheck.ConvertsAsSerializer<PodDisruptionBudget>(Obj.Parse(json)).Should().BeFalse();

    [Theory]
    [InlineData("""{"metadata":{"name":"n"},"spec":{"taints":[{"key":"k","effect":"NoSchedule","timeAdded":"2026-03-01T12:00:00Z"}],"unschedulable":true},"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},"nodeInfo":{"kubeletVersion":"v1.27.16"}}}""")]
    [InlineData("""{"status":{"daemonEndpoints":{"kubeletEndpoint":{"port":10250}},"addresses":[],"capacity":{"cpu":"4"}}}""")]
    [InlineData("""{"status":{"nodeInfo":{"kubeletVersion":null}}}""")]
    public void Should_read_nodes_directly_as_the_serializer_does(string json) =>
        TypedCopyCheck.ReadsDirectlyAsSerializer<Node>(Obj.Parse(json));

    [Theory]
    [InlineData("""{"spec":{"taints":[{"key":"k"}]}}""")]
    [InlineData("""{"status":{"daemonEndpoints":{"kubeletEndpoint":{"Port":"10250"}}}}""")]
    public void Should_hand_nodes_it_cannot_read_exactly_to_the_serializer(string json) =>
        TypedCopyCheck.ConvertsAsSerializer<Node>(Obj.Parse(json)).Should().BeFalse();
}
