using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Orchestration;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>
/// The run state lives in one ConfigMap, which the API server caps at 1 MiB: a 5,000-node upgrade's state must still
/// fit (gzipped shards past 256 nodes) and round-trip, a small one stays readable JSON, and an older drydock's state loads.
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
        // Like a real run: a random boot id per node (a GUID, which gzip cannot shrink) and start/finish times spread out
        var random = new Random(7);
        foreach (var n in nodes)
        {
            var started = start.AddSeconds(random.Next(0, 36_000));
            progress[RunState.Key(0, n.Name)] = new NodeProgress
            {
                Node = n.Name, Hop = 0, Phase = NodePhase.Done, CompletedSteps = steps, WasCordoned = false, BootIdBefore = new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)).ToString(),
                StartedAt = started, FinishedAt = started.AddSeconds(random.Next(120, 900)),
            };
        }
        return state with { Nodes = progress };
    }

    /// <summary>What the API server counts against the limit: data plus decoded binaryData, keys included.</summary>
    private static long Size(ConfigMap cm) =>
        (cm.Data?.AsEnumerable() ?? []).Sum(kv => kv.Key.Length + (long)System.Text.Encoding.UTF8.GetByteCount(kv.Value)) +
        (cm.BinaryData?.AsEnumerable() ?? []).Sum(kv => kv.Key.Length + (long)Convert.FromBase64String(kv.Value).Length);

    private Task<ConfigMap> Stored() => client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, RolloutConstants.Namespace, RolloutConstants.StateConfigMap);

    [Fact]
    public async Task Should_store_a_5000_node_run_well_within_the_configmap_limit_and_read_it_back()
    {
        // Given the state of a finished 5,000-worker upgrade (its JSON alone is well over 1 MiB)
        var state = State(5000);
        OrchestrationJson.Serialize(state).Length.Should().BeGreaterThan(1024 * 1024);
        var store = new ConfigMapRunStateStore(client);

        // When it is saved through the API and loaded again
        await store.SaveAsync(state, CancellationToken.None);
        var loaded = await new ConfigMapRunStateStore(client).LoadAsync(CancellationToken.None);

        // Then the API server accepted it as a header, the gzipped plan and 79 gzipped 64-node shards, under a quarter
        // of the limit — at this size per node, more than 20,000 nodes fit (the README's figure) — and it reads back equal
        var cm = await Stored();
        cm.Data!.Keys.Should().Equal(ConfigMapRunStateStore.HeaderKey);
        cm.BinaryData!.Keys.Should().Contain(["plan.json.gz", "nodes-0000.json.gz", "nodes-0078.json.gz"]).And.HaveCount(80);
        Size(cm).Should().BeLessThan(256 * 1024);
        var nodesThatFit = 1024 * 1024 * 5000L / Size(cm);
        nodesThatFit.Should().BeGreaterThan(20_000);
        OrchestrationJson.Serialize(loaded!).Should().Be(OrchestrationJson.Serialize(state));
    }

    [Fact]
    public async Task Should_keep_a_small_run_as_plain_json_and_switch_back_and_forth()
    {
        // A 2,000-node state goes compressed; a later 20-node one (a new run) goes back to plain JSON, and the gzip keys are removed
        await new ConfigMapRunStateStore(client).SaveAsync(State(2000), CancellationToken.None);
        await new ConfigMapRunStateStore(client).SaveAsync(State(20) with { RunId = "run-small" }, CancellationToken.None);

        var cm = await Stored();
        cm.Data!.Keys.Should().BeEquivalentTo("run.json", "plan.json", "nodes-0000.json");
        (cm.BinaryData?.Count ?? 0).Should().Be(0);
        (await new ConfigMapRunStateStore(client).LoadAsync(CancellationToken.None))!.Nodes.Should().HaveCount(20);
    }

    [Fact]
    public async Task Should_resume_from_a_gzipped_state_written_by_an_older_drydock()
    {
        // Given a 2,000-node state in format 1 (state.json.gz in binaryData), as drydock wrote it before format 2
        var old = State(2000) with { Status = RunStatus.Interrupted };
        await client.CreateAsync(ResourceKind.ConfigMaps, RolloutConstants.Namespace, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = RolloutConstants.StateConfigMap, Namespace = RolloutConstants.Namespace },
            BinaryData = new Dictionary<string, string> { [ConfigMapRunStateStore.LegacyCompressedKey] = Gzip(OrchestrationJson.Serialize(old)) },
        });
        var store = new ConfigMapRunStateStore(client);

        // When loaded, and saved again by the resuming run
        var loaded = await store.LoadAsync(CancellationToken.None);
        await store.SaveAsync(loaded! with { Status = RunStatus.Running }, CancellationToken.None);

        // Then it read back whole, and is now stored in format 2 only
        OrchestrationJson.Serialize(loaded).Should().Be(OrchestrationJson.Serialize(old));
        var cm = await Stored();
        cm.BinaryData!.Should().NotContainKey(ConfigMapRunStateStore.LegacyCompressedKey).And.ContainKey("nodes-0031.json.gz");
        (await new ConfigMapRunStateStore(client).LoadAsync(CancellationToken.None))!.Nodes.Should().HaveCount(2000);
    }

    private static string Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(json));
        return Convert.ToBase64String(buffer.ToArray());
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
