using System.Text.Json;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>What the in-process client creates is stored with plain leaves, not as views of the text it was serialized
/// to: a viewed string decodes its UTF-8 on every read, and a run state's ConfigMap is size-checked and converted on
/// every save.</summary>
public sealed class ClientWriteLeavesTests
{
    [Fact]
    public async Task Should_store_a_created_object_with_plain_strings_that_read_as_written()
    {
        // Given a sandbox and its in-process client
        using var v = new VirtualCluster();

        // When the client creates a ConfigMap with a large value and a number-bearing label
        var blob = new string('x', 10_000) + "é\"\\";
        await v.Client.CreateAsync(ResourceKind.ConfigMaps, "default", new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "state", Labels = new Dictionary<string, string> { ["step"] = "3" } },
            Data = new Dictionary<string, string> { ["blob"] = blob, ["empty"] = "" },
        });

        // Then every stored string is a plain value, and reads back exactly
        var stored = v.Cluster.Store.Get(ServedResource.ConfigMaps, "default", "state")!;
        foreach (var (key, value) in stored["data"]!.AsObject())
            value!.AsValue().TryGetValue<JsonElement>(out _).Should().BeFalse($"data.{key} should not be a view of parsed text");
        stored["metadata"]!["name"]!.AsValue().TryGetValue<JsonElement>(out _).Should().BeFalse();
        stored["data"]!["blob"]!.GetValue<string>().Should().Be(blob);
        var read = await v.Client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, "default", "state");
        read.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["blob"] = blob, ["empty"] = "" });
        read.Metadata.Labels!["step"].Should().Be("3");
    }
}
