using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Orchestration;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;

namespace Drydock.Sandbox.Tests.Orchestration;

/// <summary>
/// The orchestrator against an in-process sandbox on a manual clock: the real drainer, the sandbox's simulated
/// kubeadm nodes, the state ConfigMap and Lease in the sandbox's store. <see cref="Drive{T}"/> runs the work on one
/// thread and jumps the clock to the next due time whenever nothing is runnable, so a 20-minute upgrade takes seconds.
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
        Driver = new VirtualTimeDriver(Clock, Cluster);
    }

    /// <summary>Runs the rollouts of this test in virtual time (see <see cref="Drive{T}"/>).</summary>
    public VirtualTimeDriver Driver { get; }

    public RolloutExecutor Executor(string identity = "ci@sandbox pid 1") => new(
        Client, new Agents(Cluster), new NodeDrainerDrainService(new NodeDrainer(Client, Clock), new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true }),
        new ConfigMapRunStateStore(Client), new FinishedBeforeReturning(new JsonLinesRunJournal(JournalPath, Clock)), new LeaseClusterLock(Client, Clock), Clock,
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

    /// <summary>
    /// Starts <paramref name="run"/> on the test's thread under the rollout's <see cref="VirtualTimeDriver"/> and drives
    /// it to completion: every continuation runs there, and the clock (and the cluster's controllers) moves to the next
    /// due time only when nothing is runnable. One driver for the whole test, so work an earlier run left behind (a
    /// timer's continuation) still runs on it. Fails if any of the work escaped to the thread pool.
    /// </summary>
    public Task<T> Drive<T>(Func<Task<T>> run, TimeSpan? virtualLimit = null)
    {
        var outcome = Driver.Run(_ => run(), Clock.GetUtcNow() + (virtualLimit ?? TimeSpan.FromHours(12)));
        if (!outcome.Task.IsCompleted)
            throw new TimeoutException($"rollout not finished at virtual {outcome.At:O}: {outcome.StoppedBecause}");
        if (Driver.EscapedWork > 0)
            throw new InvalidOperationException($"{Driver.EscapedWork} continuations of the rollout ran on the thread pool: keep the orchestrator, the drain and the test's fakes on the driver's context, or the clock can jump past them");
        return outcome.Task;
    }

    public void Dispose()
    {
        Cluster.Dispose();
        try { File.Delete(JournalPath); } catch (IOException) { }
    }

    private sealed class Agents(SandboxCluster cluster) : INodeAgentFactory
    {
        public INodeAgent For(string nodeName) => cluster.NodeAgent(nodeName);
    }

    /// <summary>
    /// The real file journal, each append finished before it returns and run outside the driven flow: the file write
    /// (File.AppendAllTextAsync) completes on the thread pool, which the driver would count as escaped work whose
    /// timing against its clock jumps is up to the OS scheduler. Blocking here is safe: the write's continuations
    /// capture no context (none is current and the flow is suppressed), so none of them waits for the driver's thread.
    /// </summary>
    private sealed class FinishedBeforeReturning(IRunJournal inner) : IRunJournal
    {
        public Task AppendAsync(RolloutEvent e, CancellationToken ct) => Write(() => inner.AppendAsync(e, ct));

        public Task AppendAsync(RunState state, CancellationToken ct) => Write(() => inner.AppendAsync(state, ct));

        private static Task Write(Func<Task> append)
        {
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                Task written;
                using (ExecutionContext.SuppressFlow()) written = append();
                written.GetAwaiter().GetResult();
                return Task.CompletedTask;
            }
            catch (Exception e) { return Task.FromException(e); }
            finally { SynchronizationContext.SetSynchronizationContext(context); }
        }
    }

    private sealed class Sync(Action<RolloutEvent> a) : IProgress<RolloutEvent> { public void Report(RolloutEvent value) => a(value); }
}
