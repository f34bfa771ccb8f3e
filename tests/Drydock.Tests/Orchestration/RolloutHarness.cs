using Drydock.Common;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>A fake cluster of control planes and workers plus an executor on a manual clock, and the events it emitted.</summary>
internal sealed class RolloutHarness
{
    public ManualTimeProvider Time { get; } = new();
    public FakeCluster Cluster { get; } = new();
    public FakeNodes Nodes { get; }
    public FakeDrain Drain { get; }
    public ConfigMapRunStateStore Store { get; }
    public LeaseClusterLock Lock { get; }
    public string JournalPath { get; } = Path.Combine(Path.GetTempPath(), $"dd-journal-{Guid.NewGuid():N}.jsonl");
    public List<RolloutEvent> Events { get; } = [];

    public RolloutHarness(int controlPlanes = 3, int workers = 5)
    {
        for (var i = 1; i <= controlPlanes; i++) Cluster.AddNode($"cp-{i}", controlPlane: true);
        for (var i = 1; i <= workers; i++) Cluster.AddNode($"worker-{i:00}", controlPlane: false);
        Nodes = new FakeNodes(Cluster);
        Drain = new FakeDrain(Cluster);
        Store = new ConfigMapRunStateStore(Cluster);
        Lock = new LeaseClusterLock(Cluster, Time);
    }

    public RolloutExecutor Executor(string identity = "tester@host pid 1") => new(
        Cluster, Nodes, Drain, Store, new JsonLinesRunJournal(JournalPath, Time), Lock, Time,
        new RolloutOptions { Identity = identity, RunId = "run-test" });

    public RolloutPlan Plan(int maxUnavailable = 1, params string[] hops) =>
        RolloutPlanner.ForUpgrade(Cluster.Nodes.Values.ToList(), hops.Length == 0 ? ["1.28.4"] : hops, "1.27.6", maxUnavailable);

    public IProgress<RolloutEvent> Progress(Action<RolloutEvent>? also = null) => new Sync(e => { lock (Events) Events.Add(e); also?.Invoke(e); });

    /// <summary>Drives virtual time until the task ends (bounded), so polls and timeouts pass instantly.</summary>
    public async Task<T> Drive<T>(Task<T> task)
    {
        for (var i = 0; i < 20_000 && !task.IsCompleted; i++)
        {
            await Task.Delay(1);
            if (!task.IsCompleted) Time.Advance(TimeSpan.FromSeconds(1));
        }
        task.IsCompleted.Should().BeTrue("the run should finish within the bounded virtual-time drive");
        return await task;
    }

    private sealed class Sync(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
