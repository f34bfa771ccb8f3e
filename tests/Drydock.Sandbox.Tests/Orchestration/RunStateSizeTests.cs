using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Orchestration;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>
/// The run state lives in one ConfigMap, which the API server caps at 1 MiB: a 5,000-node upgrade's state must still
/// fit (stored gzipped past 256 KiB) and round-trip, and a small one stays readable JSON.
/// </summary>
public sealed class RunStateSizeTests : IAsyncLifetime
{
    private SandboxHost host = null!;
    private KubeClient client = null!;

    public async Task InitializeAsync()
    {
        host = await SandboxHost.StartAsync();
        client = KubeClient.ForServer(host.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
    }

    private static RunState State(int workers)
    {
        var nodes = Enumerable.Range(1, workers).Select(i => new RolloutNode($"worker-{i:00000}", NodeRole.Worker)).ToList();
        var hop = new RolloutHop { Version = "1.28.15", Batches = nodes.Chunk(10).Select((b, i) => new RolloutBatch(i + 1, b)).ToList() };
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new RunState { RunId = "run-big", Plan = new RolloutPlan { Kind = RolloutKind.Upgrade, Hops = [hop], MaxUnavailable = 10 }, Holder = "ci", StartedAt = start };
        var steps = NodeProcedures.Upgrade(hop, NodeRole.Worker).Select(s => s.Id).ToList();
        var progress = new Dictionary<string, NodeProgress>();
        foreach (var n in nodes)
            progress[RunState.Key(0, n.Name)] = new NodeProgress
            {
                Node = n.Name, Hop = 0, Phase = NodePhase.Done, CompletedSteps = steps, WasCordoned = false, StartedAt = start, FinishedAt = start.AddMinutes(5),
            };
        return state with { Nodes = progress };
    }

    [Fact]
    public async Task Should_store_a_5000_node_run_within_the_configmap_limit_and_read_it_back()
    {
        // Given the state of a finished 5,000-worker upgrade (its JSON alone is well over 1 MiB)
        var state = State(5000);
        OrchestrationJson.Serialize(state).Length.Should().BeGreaterThan(1024 * 1024);
        var store = new ConfigMapRunStateStore(client);

        // When it is saved through the API and loaded again
        await store.SaveAsync(state, CancellationToken.None);
        var loaded = await store.LoadAsync(CancellationToken.None);

        // Then the API server accepted it, gzipped in binaryData, and it reads back equal
        var cm = await client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, RolloutConstants.Namespace, RolloutConstants.StateConfigMap);
        cm.BinaryData.Should().ContainKey(ConfigMapRunStateStore.CompressedKey);
        (cm.Data?.ContainsKey(ConfigMapRunStateStore.DataKey) ?? false).Should().BeFalse();
        OrchestrationJson.Serialize(loaded!).Should().Be(OrchestrationJson.Serialize(state));
    }

    [Fact]
    public async Task Should_keep_a_small_run_as_plain_json_and_switch_back_and_forth()
    {
        var store = new ConfigMapRunStateStore(client);

        // A 2,000-node state goes compressed; a later 20-node one (a new run) goes back to plain JSON, and the gzip key is removed
        await store.SaveAsync(State(2000), CancellationToken.None);
        await store.SaveAsync(State(20), CancellationToken.None);

        var cm = await client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, RolloutConstants.Namespace, RolloutConstants.StateConfigMap);
        cm.Data.Should().ContainKey(ConfigMapRunStateStore.DataKey);
        (cm.BinaryData?.ContainsKey(ConfigMapRunStateStore.CompressedKey) ?? false).Should().BeFalse();
        (await store.LoadAsync(CancellationToken.None))!.Nodes.Should().HaveCount(20);
    }

    [Fact]
    public async Task Should_refuse_a_configmap_over_one_mebibyte_as_the_api_server_does()
    {
        // Given a ConfigMap of 1 MiB + 1 byte of data
        var big = new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "too-big", Namespace = "default" },
            Data = new Dictionary<string, string> { ["k"] = new string('x', 1024 * 1024) },
        };

        // When created / Then 422 Invalid with the apiserver's words, and nothing stored
        var ex = (await FluentActions.Awaiting(() => client.CreateAsync(ResourceKind.ConfigMaps, "default", big)).Should().ThrowAsync<KubeApiException>()).Which;
        ex.Code.Should().Be(422);
        ex.Message.Should().Be("ConfigMap \"too-big\" is invalid: []: Too long: must have at most 1048576 bytes");
        await FluentActions.Awaiting(() => client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, "default", "too-big")).Should().ThrowAsync<KubeApiException>();
    }
}
