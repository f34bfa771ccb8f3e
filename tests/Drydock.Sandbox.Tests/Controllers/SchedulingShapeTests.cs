using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>Pods that share their containers' nodes (one template's) share a scheduling shape; a constraint of their
/// own still makes a shape of its own.</summary>
public sealed class SchedulingShapeTests
{
    private static JsonObject Pod(JsonArray containers, JsonObject? nodeSelector = null, JsonArray? tolerations = null)
    {
        var spec = new JsonObject { ["containers"] = CopyOnWrite.Shared(containers) };
        if (nodeSelector is not null) spec["nodeSelector"] = nodeSelector;
        if (tolerations is not null) spec["tolerations"] = tolerations;
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "shop" }, ["spec"] = spec };
    }

    [Fact]
    public void Should_tell_apart_pods_that_share_containers_but_not_constraints()
    {
        // Given one containers node (as a template's pods share it) and pods with and without constraints of their own
        using var cluster = new SandboxCluster();
        var containers = new JsonArray(new JsonObject
        {
            ["name"] = "c", ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "64Mi" } },
        });
        var plain = Pod(containers);
        var zoneA = Pod(containers, new JsonObject { ["zone"] = "a" });
        var zoneB = Pod(containers, new JsonObject { ["zone"] = "b" });
        var tolerant = Pod(containers, tolerations: new JsonArray(new JsonObject { ["operator"] = "Exists" }));

        // When their shapes are asked for, twice each
        var keys = new[] { plain, zoneA, zoneB, tolerant, plain, zoneA, zoneB, tolerant }.Select(cluster.SchedulingShapeKey).ToList();

        // Then each asks the same on the second time, and the four differ from one another
        keys.Take(4).Should().Equal(keys.Skip(4));
        keys.Take(4).Should().OnlyHaveUniqueItems();
        keys[1].Should().Contain("\"zone\":\"a\"");
        keys[3].Should().Contain("Exists");
    }
}
