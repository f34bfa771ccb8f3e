using Drydock.Kube.Models;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>The run state in its ConfigMap: format 2 round trips, patches of only what changed, and format 1 still loading.</summary>
public sealed class RunStateStoreTests
{
    private const string Ns = RolloutConstants.Namespace;
    private const string Name = RolloutConstants.StateConfigMap;

    private static ConfigMap Stored(FakeCluster cluster) => cluster.ConfigMaps[$"{Ns}/{Name}"];

    [Fact]
    public async Task Should_round_trip_a_small_run_as_plain_json_keys()
    {
        var cluster = new FakeCluster();
        var state = RunStates.Finished(workers: 70) with { Status = RunStatus.Completed };

        await new ConfigMapRunStateStore(cluster).SaveAsync(state, CancellationToken.None);
        var loaded = await new ConfigMapRunStateStore(cluster).LoadAsync(CancellationToken.None);

        Stored(cluster).Data!.Keys.Should().BeEquivalentTo("run.json", "plan.json", "nodes-0000.json", "nodes-0001.json");
        OrchestrationJson.Serialize(loaded!).Should().Be(OrchestrationJson.Serialize(state));
        loaded!.CompletedSteps.Should().Be(state.CompletedSteps);
    }

    [Fact]
    public async Task Should_patch_the_header_and_only_the_shards_that_changed()
    {
        var cluster = new FakeCluster();
        var store = new ConfigMapRunStateStore(cluster);
        var state = RunStates.Finished(workers: 200);
        await store.SaveAsync(state, CancellationToken.None);
        var shard0 = Stored(cluster).Data!["nodes-0000.json"];

        // When one node of the third shard changes
        var changed = state.WithNode(state.NodeAt(0, "worker-00150") with { Phase = NodePhase.Failed }, RunStates.Start.AddHours(1));
        var changes = RunStateFormat.Changes(changed, state, RunStateFormat.StateKeys(Stored(cluster)));
        await store.SaveAsync(changed, CancellationToken.None);

        // Then the patch holds run.json and nodes-0002.json only, and the stored state is the new one
        changes.Data.Keys.Should().BeEquivalentTo("run.json", "nodes-0002.json");
        changes.BinaryData.Should().BeEmpty();
        Stored(cluster).Data!["nodes-0000.json"].Should().BeSameAs(shard0);
        var loaded = await new ConfigMapRunStateStore(cluster).LoadAsync(CancellationToken.None);
        loaded!.NodeAt(0, "worker-00150").Phase.Should().Be(NodePhase.Failed);
        loaded.UpdatedAt.Should().Be(RunStates.Start.AddHours(1));
    }

    [Fact]
    public void Should_gzip_exactly_the_serializers_bytes_of_every_shard_and_the_plan_save_after_save()
    {
        // Given a large run (gzipped), saved whole, then saved again after one node changed (one buffer, reused)
        var state = RunStates.Finished(workers: 300);
        var first = RunStateFormat.Changes(state, null, new HashSet<string>());
        var changed = state.WithNode(state.NodeAt(0, "worker-00001") with { Phase = NodePhase.Failed }, RunStates.Start);
        var next = RunStateFormat.Changes(changed, state, first.KeysAfter);

        // Then each value unzips to what SerializeToUtf8Bytes writes — the plan (the largest) first, shards after it
        string Expected<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
            System.Text.Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, type));
        RunStateFormat.Gunzip(first.BinaryData["plan.json.gz"]!).Should().Be(Expected(state.Plan, OrchestrationJsonContext.Default.RolloutPlan));
        for (var s = 0; s < state.Progress.ShardCount; s++)
            RunStateFormat.Gunzip(first.BinaryData[$"nodes-{s:0000}.json.gz"]!)
                .Should().Be(Expected(state.Progress.Shard(s), OrchestrationJsonContext.Default.IReadOnlyListNodeProgress), $"shard {s}");
        RunStateFormat.Gunzip(next.BinaryData["nodes-0000.json.gz"]!)
            .Should().Be(Expected(changed.Progress.Shard(0), OrchestrationJsonContext.Default.IReadOnlyListNodeProgress));
    }

    [Fact]
    public void Should_gzip_the_plan_and_shards_of_a_large_run_and_patch_only_changed_shards()
    {
        var state = RunStates.Finished(workers: 300);

        var first = RunStateFormat.Changes(state, null, new HashSet<string>());
        var changed = state.WithNode(state.NodeAt(0, "worker-00001") with { Phase = NodePhase.Failed }, RunStates.Start);
        var next = RunStateFormat.Changes(changed, state, first.KeysAfter);

        first.Data.Keys.Should().Equal("run.json");
        first.BinaryData.Keys.Should().BeEquivalentTo("plan.json.gz", "nodes-0000.json.gz", "nodes-0001.json.gz", "nodes-0002.json.gz", "nodes-0003.json.gz", "nodes-0004.json.gz");
        next.Data.Keys.Should().Equal("run.json");
        next.BinaryData.Keys.Should().Equal("nodes-0000.json.gz");
        next.KeysAfter.Should().BeEquivalentTo(first.KeysAfter);
        OrchestrationJson.DeserializeShard(RunStateFormat.Gunzip(first.BinaryData["nodes-0004.json.gz"]!))!.Select(p => p.Node)
            .Should().Equal(Enumerable.Range(257, 44).Select(i => $"worker-{i:00000}"));
    }

    [Fact]
    public async Task Should_remove_a_previous_runs_keys_when_a_new_run_starts()
    {
        // Given a finished 200-node run in the ConfigMap, and an abort request left in it
        var cluster = new FakeCluster();
        await new ConfigMapRunStateStore(cluster).SaveAsync(RunStates.Finished(workers: 200), CancellationToken.None);
        await new ConfigMapRunStateStore(cluster).RequestAbortAsync("ops", CancellationToken.None);

        // When another process starts a 10-node run
        var next = RunStates.Empty(workers: 10) with { RunId = "run-next" };
        await new ConfigMapRunStateStore(cluster).SaveAsync(next.WithNode(new NodeProgress { Node = "worker-00001", Hop = 0 }, RunStates.Start), CancellationToken.None);

        // Then only its keys remain (the abort request is not the store's to remove)
        Stored(cluster).Data!.Keys.Should().BeEquivalentTo("run.json", "plan.json", "nodes-0000.json", ConfigMapRunStateStore.AbortKey);
        (await new ConfigMapRunStateStore(cluster).LoadAsync(CancellationToken.None))!.Nodes.Should().ContainSingle();
    }

    [Fact]
    public async Task Should_load_a_run_saved_by_an_older_drydock_and_replace_it_with_the_new_format()
    {
        // Given a format-1 state (one state.json) written by an older drydock, mid-run
        var cluster = new FakeCluster();
        var old = RunStates.Finished(workers: 5) with { Status = RunStatus.Interrupted };
        cluster.ConfigMaps[$"{Ns}/{Name}"] = new ConfigMap
        {
            Metadata = new ObjectMeta { Name = Name, Namespace = Ns, ResourceVersion = "1" },
            Data = new Dictionary<string, string> { [ConfigMapRunStateStore.LegacyKey] = OrchestrationJson.Serialize(old) },
        };
        var store = new ConfigMapRunStateStore(cluster);

        // When loaded and saved again
        var loaded = await store.LoadAsync(CancellationToken.None);
        await store.SaveAsync(loaded! with { Status = RunStatus.Running }, CancellationToken.None);

        // Then it read back whole, and now is format 2 without the old key
        OrchestrationJson.Serialize(loaded).Should().Be(OrchestrationJson.Serialize(old));
        Stored(cluster).Data!.Keys.Should().BeEquivalentTo("run.json", "plan.json", "nodes-0000.json");
        (await new ConfigMapRunStateStore(cluster).LoadAsync(CancellationToken.None))!.Status.Should().Be(RunStatus.Running);
    }

    [Fact]
    public async Task Should_write_everything_again_when_the_configmap_was_deleted_meanwhile()
    {
        var cluster = new FakeCluster();
        var store = new ConfigMapRunStateStore(cluster);
        var state = RunStates.Finished(workers: 100);
        await store.SaveAsync(state, CancellationToken.None);
        cluster.ConfigMaps.Clear();

        await store.SaveAsync(state with { Status = RunStatus.Completed }, CancellationToken.None);

        var loaded = await new ConfigMapRunStateStore(cluster).LoadAsync(CancellationToken.None);
        loaded!.Nodes.Should().HaveCount(100);
        loaded.Status.Should().Be(RunStatus.Completed);
    }

    [Fact]
    public async Task Should_see_an_abort_request_in_the_answer_to_a_save()
    {
        var cluster = new FakeCluster();
        var store = new ConfigMapRunStateStore(cluster);
        var state = RunStates.Empty(workers: 3);
        await store.SaveAsync(state, CancellationToken.None);
        store.AbortRequestSeenBySave.Should().BeNull();

        await new ConfigMapRunStateStore(cluster).RequestAbortAsync("ops@host", CancellationToken.None);
        await store.SaveAsync(state, CancellationToken.None);

        store.AbortRequestSeenBySave.Should().Be("ops@host");
    }
}
