using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>A DaemonSet roll picks the first outdated pod from the view's set of outdated pod versions instead of
/// re-reading every pod's containers: the set must follow pod changes exactly, and the in-place image compare must
/// agree with the <c>name=image,…</c> text it replaces.</summary>
public sealed class DaemonSetOutdatedPodsTests
{
    private const string Want = "agent=agent:v2,sidecar=proxy:v1";

    private static JsonObject Pod(string name, string agentImage, bool terminating = false)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kube-system" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "n-" + name,
                ["containers"] = new JsonArray(
                    new JsonObject { ["name"] = "agent", ["image"] = agentImage },
                    new JsonObject { ["name"] = "sidecar", ["image"] = "proxy:v1" }),
            },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
        if (terminating) pod.Meta()["deletionTimestamp"] = "2026-03-01T12:00:30Z";
        return pod;
    }

    [Theory]
    [InlineData("""[{"name":"agent","image":"agent:v2"},{"name":"sidecar","image":"proxy:v1"}]""")]
    [InlineData("""[{"name":"agent","image":"agent:v1"},{"name":"sidecar","image":"proxy:v1"}]""")]
    [InlineData("""[{"name":"agent","image":"agent:v2"}]""")]
    [InlineData("""[{"name":"agent","image":"agent:v2"},{"name":"sidecar","image":"proxy:v1"},{"name":"x"}]""")]
    [InlineData("""[{"name":"agent=agent:v2,sidecar","image":"proxy:v1"}]""")]
    [InlineData("""[{"name":"agent","image":"agent:v2,sidecar=proxy:v1"}]""")]
    [InlineData("""[{"image":"agent:v2"},{"name":"sidecar"}]""")]
    [InlineData("""[]""")]
    [InlineData(null)]
    public void Should_compare_images_as_the_joined_text_would(string? containers)
    {
        var spec = containers is null ? new JsonObject() : new JsonObject { ["containers"] = JsonNode.Parse(containers) };
        foreach (var want in new[] { Want, "agent=agent:v2", "=", "", "agent=agent:v2,sidecar=proxy:v1,x=" })
            SandboxCluster.ImagesAre(spec, want).Should().Be(SandboxCluster.Images(spec) == want, $"{containers} vs {want}");
    }

    [Fact]
    public void Should_know_exactly_the_active_outdated_pod_versions_after_a_sequence_of_changes()
    {
        var a = Pod("a", "agent:v1");
        var b = Pod("b", "agent:v2");
        var c = Pod("c", "agent:v1");
        var view = new DaemonSetNodes(1, Want, [a, b, c]);
        view.IsOutdated(a).Should().BeTrue();
        view.IsOutdated(b).Should().BeFalse();
        view.Outdated.Should().Be(2);

        var aTerminating = Pod("a", "agent:v1", terminating: true);
        view.Apply(a, aTerminating);                      // being replaced: no longer active
        view.Apply(aTerminating, null);
        var d = Pod("d", "agent:v2");
        view.Apply(null, d);                              // its up-to-date replacement
        var cAgain = Pod("c", "agent:v1");
        view.Apply(c, cAgain);                            // a new version of an outdated pod

        view.IsOutdated(a).Should().BeFalse();
        view.IsOutdated(aTerminating).Should().BeFalse();
        view.IsOutdated(c).Should().BeFalse("that version was replaced");
        view.IsOutdated(cAgain).Should().BeTrue();
        view.IsOutdated(d).Should().BeFalse();
        view.Outdated.Should().Be(1);
    }
}
