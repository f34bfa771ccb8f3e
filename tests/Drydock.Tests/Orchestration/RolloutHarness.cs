using Drydock.Common;
using Drydock.Orchestration;
using Drydock.Tests.Support;

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
        Cluster, Nodes, Drain, Store, new CompletedJournal(new JsonLinesRunJournal(JournalPath, Time)), Lock, Time,
        new RolloutOptions { Identity = identity, RunId = "run-test" });

    public RolloutPlan Plan(int maxUnavailable = 1, params string[] hops) =>
        RolloutPlanner.ForUpgrade(Cluster.Nodes.Values.ToList(), hops.Length == 0 ? ["1.28.4"] : hops, "1.27.6", maxUnavailable);

    public IProgress<RolloutEvent> Progress(Action<RolloutEvent>? also = null) => new Sync(e => { lock (Events) Events.Add(e); also?.Invoke(e); });

    /// <summary>
    /// Runs the operation (started here, on a single-thread pump) in virtual time until it ends: the clock moves only
    /// when nothing is runnable, straight to the next due timer (a poll, a timeout, a lease renewal), so polls and
    /// timeouts pass instantly and never ahead of the code reacting to them. Bounded at the old drive's 20,000 s.
    /// </summary>
    public Task<T> Drive<T>(Func<Task<T>> operation) =>
        PumpedVirtualTime.RunAsync(Time, operation, TimeSpan.FromSeconds(20_000), "the executor (and fakes)");

    /// <summary>
    /// The real JSON-lines journal, each file append completed before the executor's await returns: the pump cannot
    /// see file I/O in flight (File.AppendAllTextAsync continues on the thread pool). The executor awaits every append
    /// anyway, so what changes is only that no other node's work interleaves with a write.
    /// </summary>
    private sealed class CompletedJournal(JsonLinesRunJournal inner) : IRunJournal
    {
        public Task AppendAsync(RolloutEvent e, CancellationToken ct) => PumpedVirtualTime.CompleteOffPump(() => inner.AppendAsync(e, ct));
        public Task AppendAsync(RunState state, CancellationToken ct) => PumpedVirtualTime.CompleteOffPump(() => inner.AppendAsync(state, ct));
    }

    private sealed class Sync(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
