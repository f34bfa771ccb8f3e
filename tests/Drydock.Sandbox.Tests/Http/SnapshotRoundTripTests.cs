using System.Text.Json.Nodes;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Http;

public sealed class SnapshotRoundTripTests
{
    [Fact]
    public async Task Should_serve_back_the_loaded_objects_unchanged()
    {
        // Given the fixture loaded and served
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = Fixtures.HaSnapshot });

        // When kubectl reads every kind back
        var r = await Kubectl.RunAsync(host.KubeconfigPath, "get", "nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm", "-A", "-o", "json");

        // Then each object equals the fixture's, apart from resourceVersion
        r.ExitCode.Should().Be(0, r.Stderr);
        var served = JsonNode.Parse(r.Stdout)!["items"]!.AsArray().Select(i => i!.AsObject()).ToDictionary(Key);
        var expected = JsonNode.Parse(Fixtures.HaSnapshot)!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        foreach (var want in expected)
        {
            served.Should().ContainKey(Key(want));
            var got = served[Key(want)];
            Strip(got); Strip(want);
            JsonNode.DeepEquals(got, want).Should().BeTrue($"{Key(want)} came back as {got.ToJsonString()}\nbut was loaded as {want.ToJsonString()}");
        }
    }

    private static string Key(JsonObject o) => $"{o["kind"]}/{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}";

    private static void Strip(JsonObject o) => o["metadata"]!.AsObject().Remove("resourceVersion");
}
