using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Orchestration;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>
/// The orchestrator against an in-process sandbox on a manual clock: the real drainer, the sandbox's simulated
/// kubeadm nodes, the state ConfigMap and Lease in the sandbox's store. <see cref="Drive{T}"/> lets the work settle,
/// then jumps the clock to the next due timer, so a 20-minute upgrade takes seconds.
/// </summary>
internal sealed class SandboxRollout : IDisposable
{
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    public SandboxCluster Cluster { get; }
    public IKubeClient Client { get; }
    public List<RolloutEvent> Events { get; } = [];
    public List<string> SkewViolations { get; } = [];
    public string JournalPath { get; } = Path.Combine(Path.GetTempPath(), $"dd-sandbox-journal-{Guid.NewGuid():N}.jsonl");

    public SandboxRollout(string listJson)
    {
        // A long controller tick: the driver calls RunDue itself after each jump, so time moves event to event.
        Cluster = new SandboxCluster(Clock, new SandboxOptions { Tick = TimeSpan.FromHours(1), MaxGracePeriodSeconds = 10 });
        Cluster.LoadList(listJson);
        Cluster.Settle();
        Client = Cluster.CreateClient();
    }

    public RolloutExecutor Executor(string identity = "ci@sandbox pid 1") => new(
        Client, new Agents(Cluster), new NodeDrainerDrainService(new NodeDrainer(Client, Clock), new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true }),
        new ConfigMapRunStateStore(Client), new JsonLinesRunJournal(JournalPath, Clock), new LeaseClusterLock(Client, Clock), Clock,
        new RolloutOptions { Identity = identity, RunId = "run-e2e" });

    public RolloutPlan Plan(string version, int maxUnavailable) =>
        RolloutPlanner.ForUpgrade(Cluster.Objects<Node>(), [version], "1.27.16", maxUnavailable);

    /// <summary>Records every event, and checks the skew policy against the sandbox's state at that moment.</summary>
    public IProgress<RolloutEvent> Progress(Action<RolloutEvent>? also = null) => new Sync(e =>
    {
        lock (Events) Events.Add(e);
        lock (SkewViolations) SkewViolations.AddRange(Skew().Select(s => $"{e.Kind} {e.Node} {e.StepId}: {s}"));
        also?.Invoke(e);
    });

    /// <summary>HA skew: no kubelet newer than the oldest kube-apiserver; apiservers within one minor of each other.</summary>
    public IReadOnlyList<string> Skew()
    {
        var apiservers = Cluster.Objects<Pod>("kube-system").Where(p => p.Metadata.Labels?.GetValueOrDefault("component") == "kube-apiserver")
            .Select(p => Version.Parse(p.Spec!.Containers[0].Image!.Split(':')[1].TrimStart('v'))).ToList();
        if (apiservers.Count == 0) return ["no kube-apiserver mirror pods"];
        var oldest = apiservers.Min()!;
        var problems = Cluster.Objects<Node>().Where(n => Version.Parse(n.Status!.NodeInfo!.KubeletVersion.TrimStart('v')) > oldest)
            .Select(n => $"{n.Metadata.Name} kubelet {n.Status!.NodeInfo!.KubeletVersion} newer than apiserver v{oldest}").ToList();
        if (apiservers.Max()!.Minor - oldest.Minor > 1) problems.Add($"apiservers span {oldest}..{apiservers.Max()}");
        return problems;
    }

    public async Task<T> Drive<T>(Task<T> task, TimeSpan? realLimit = null)
    {
        var deadline = DateTime.UtcNow + (realLimit ?? TimeSpan.FromSeconds(90));
        while (!task.IsCompleted)
        {
            await Settle(task);
            if (task.IsCompleted) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"rollout not finished after {realLimit ?? TimeSpan.FromSeconds(90)} of real time at virtual {Clock.GetUtcNow():O}");
            var next = new[] { Clock.NextDue, Cluster.NextDue }.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(Clock.GetUtcNow() + TimeSpan.FromSeconds(1)).Min();
            if (next <= Clock.GetUtcNow()) Clock.Advance(TimeSpan.Zero); else Clock.AdvanceTo(next);
            Cluster.RunDue();
        }
        return await task;
    }

    private async Task Settle(Task task)
    {
        var last = Activity();
        for (var stable = 0; stable < 2 && !task.IsCompleted;)
        {
            await Task.Delay(1);
            var now = Activity();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private long Activity() { lock (Events) return Cluster.Stats.TotalRequests + Events.Count; }

    public void Dispose()
    {
        Cluster.Dispose();
        try { File.Delete(JournalPath); } catch (IOException) { }
    }

    private sealed class Agents(SandboxCluster cluster) : INodeAgentFactory
    {
        public INodeAgent For(string nodeName) => cluster.NodeAgent(nodeName);
    }

    private sealed class Sync(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
