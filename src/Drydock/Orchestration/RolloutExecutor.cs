using System.Globalization;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Nodes;

namespace Drydock.Orchestration;

/// <summary>
/// Runs a <see cref="RolloutPlan"/>: hop after hop, batch after batch (nodes of a batch in parallel), each node's
/// procedure step by step. Holds the cluster lock for the whole run; records every step's start and completion in
/// the run state (ConfigMap) and the journal before moving on, so <see cref="ResumeAsync"/> continues from the last
/// completed step. Every step first checks whether it is already done (package at version, node at version, node
/// uncordoned) and skips it — which is what makes re-running an interrupted step safe.
/// </summary>
public sealed partial class RolloutExecutor
{
    private readonly IKubeClient _kube;
    private readonly INodeAgentFactory _agents;
    private readonly IDrainService _drain;
    private readonly IRunStateStore _store;
    private readonly IRunJournal _journal;
    private readonly IClusterLock _lock;
    private readonly TimeProvider _time;
    private readonly RolloutOptions _options;
    private readonly NodeEventRecorder _events;
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private IProgress<RolloutEvent>? _progress;
    private RunState _state = null!;

    public RolloutExecutor(IKubeClient kube, INodeAgentFactory agents, IDrainService drain, IRunStateStore store, IRunJournal journal,
        IClusterLock clusterLock, TimeProvider time, RolloutOptions options)
    {
        _kube = kube;
        _agents = agents;
        _drain = drain;
        _store = store;
        _journal = journal;
        _lock = clusterLock;
        _time = time;
        _options = options;
        _events = new NodeEventRecorder(kube, time, options.RecordNodeEvents);
    }

    /// <summary>Starts a new run. Refuses if another process holds the lock or an unfinished run exists.</summary>
    public Task<RolloutResult> StartAsync(RolloutPlan plan, IProgress<RolloutEvent>? progress, CancellationToken ct) =>
        RunAsync(plan, progress, ct);

    /// <summary>Continues the unfinished run recorded in the cluster, from its last completed steps.</summary>
    public Task<RolloutResult> ResumeAsync(IProgress<RolloutEvent>? progress, CancellationToken ct) =>
        RunAsync(null, progress, ct);

    private async Task<RolloutResult> RunAsync(RolloutPlan? newPlan, IProgress<RolloutEvent>? progress, CancellationToken ct)
    {
        _progress = progress;
        await using var handle = await _lock.AcquireAsync(_options.Identity, ct);
        var existing = await _store.LoadAsync(ct);
        var now = _time.GetUtcNow();
        if (newPlan is not null)
        {
            if (existing is { Status: RunStatus.Running or RunStatus.Failed or RunStatus.Interrupted })
                throw new DrydockException(new RunUnfinishedError(existing));
            _state = new RunState
            {
                RunId = _options.RunId ?? "run-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
                Plan = newPlan, Holder = _options.Identity, StartedAt = now, UpdatedAt = now,
            };
        }
        else
        {
            if (existing is null) throw new DrydockException(new NothingToResumeError($"no run state in ConfigMap {RolloutConstants.Namespace}/{RolloutConstants.StateConfigMap}"));
            if (existing.Status is RunStatus.Completed or RunStatus.Aborted)
                throw new DrydockException(new NothingToResumeError($"run {existing.RunId} is {existing.Status.ToString().ToLowerInvariant()}"));
            _state = Reconcile(existing, now);
        }
        await _store.ClearAbortRequestAsync(ct);
        await SaveAsync(CancellationToken.None);
        await EmitAsync(new RolloutEvent
        {
            Kind = newPlan is null ? RolloutEventKind.RunResumed : RolloutEventKind.RunStarted,
            Message = newPlan is null ? $"resuming run {_state.RunId}: {_state.CompletedSteps}/{_state.TotalSteps} steps already done" : $"starting run {_state.RunId}",
        });

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, handle.Lost);
        try
        {
            var outcome = await RunHopsAsync(linked.Token);
            return await FinishAsync(outcome);
        }
        catch (OperationCanceledException) when (handle.Lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await SetStatusAsync(RunStatus.Interrupted);
            throw new DrydockException(new OperationError(
                $"lost the lock {RolloutConstants.Namespace}/{RolloutConstants.LockLease} to another holder; stopped. Check `drydock upgrade status`"));
        }
        catch (OperationCanceledException)
        {
            await SetStatusAsync(RunStatus.Interrupted);
            await EmitAsync(new RolloutEvent { Kind = RolloutEventKind.RunInterrupted, Message = "interrupted; continue with `drydock upgrade --resume`" });
            throw;
        }
    }

    /// <summary>kured's phase 1: before new work, bring the recorded state in line — failed nodes retry their failed step.</summary>
    private RunState Reconcile(RunState existing, DateTimeOffset now)
    {
        var nodes = existing.Progress;
        // Only the failed nodes change, so the first save rewrites only their shards.
        foreach (var failed in existing.Progress.Values.Where(p => p.Phase == NodePhase.Failed).ToList())
            nodes = nodes.With(failed with { Phase = NodePhase.Running });
        return existing with { Status = RunStatus.Running, Holder = _options.Identity, Failure = null, AbortRequested = false, Nodes = nodes, UpdatedAt = now };
    }

    private enum Outcome { Completed, Failed, Aborted }

    private async Task<Outcome> RunHopsAsync(CancellationToken ct)
    {
        var plan = _state.Plan;
        for (var h = 0; h < plan.Hops.Count; h++)
        {
            var hop = plan.Hops[h];
            if (!HopDone(h)) await EmitAsync(new RolloutEvent { Kind = RolloutEventKind.HopStarted, Hop = h, Version = hop.Version, Message = HopTitle(hop) });
            foreach (var batch in hop.Batches)
            {
                var hopIndexForFilter = h;
                var pending = batch.Nodes.Where(n => !StageDone(hopIndexForFilter, hop, batch, n)).ToList();
                if (pending.Count == 0) continue;
                await EmitAsync(new RolloutEvent
                {
                    Kind = RolloutEventKind.BatchStarted,
                    Hop = h, Batch = batch.Index, Version = hop.Version, Message = $"batch {batch.Index + 1}/{hop.Batches.Count}: {string.Join(", ", pending.Select(n => n.Name))}",
                });
                var hopIndex = h;
                var results = await Task.WhenAll(pending.Select(n => RunNodeAsync(hopIndex, hop, batch, n, ct)));
                if (results.Contains(NodeOutcome.Failed)) return Outcome.Failed;
                if (results.Contains(NodeOutcome.Aborted)) return Outcome.Aborted;
            }
            if (plan.Kind == RolloutKind.Upgrade && !await VerifyHopAsync(h, hop, ct)) return Outcome.Failed;
        }
        return Outcome.Completed;
    }

    private bool StageDone(int h, RolloutHop hop, RolloutBatch batch, RolloutNode n)
    {
        var done = _state.NodeAt(h, n.Name).CompletedSteps;
        return NodeProcedures.ForStage(NodeProcedures.For(_state.Plan, hop, n.Role), batch.Stage).All(s => done.Contains(s.Id));
    }

    private bool HopDone(int h) => _state.Plan.Hops[h].Batches.SelectMany(b => b.Nodes).All(n => _state.NodeAt(h, n.Name).Phase == NodePhase.Done);

    private static string HopTitle(RolloutHop hop) => hop.Version.Length == 0 ? "maintenance" : $"upgrade to v{hop.Version}";

    private async Task<RolloutResult> FinishAsync(Outcome outcome)
    {
        switch (outcome)
        {
            case Outcome.Completed:
                await SetStatusAsync(RunStatus.Completed);
                await EmitAsync(new RolloutEvent { Kind = RolloutEventKind.RunCompleted, Message = $"run {_state.RunId} completed" });
                break;
            case Outcome.Failed:
                await SetStatusAsync(RunStatus.Failed);
                await EmitAsync(new RolloutEvent
                {
                    Kind = RolloutEventKind.RunFailed,
                    Node = _state.Failure?.Node, StepId = _state.Failure?.StepId, Command = _state.Failure?.Command,
                    Message = _state.Failure is { } f ? new RolloutFailedError(f).Message : "failed",
                });
                break;
            case Outcome.Aborted:
                var report = await RolloutAborter.CleanUpAsync(_state, _kube, _drain, CancellationToken.None);
                await SetStatusAsync(RunStatus.Aborted);
                await EmitAsync(new RolloutEvent { Kind = RolloutEventKind.RunAborted, Message = report.Describe() });
                break;
        }
        return new RolloutResult(_state);
    }

    private async Task SetStatusAsync(RunStatus status)
    {
        await _stateGate.WaitAsync(CancellationToken.None);
        try { _state = _state with { Status = status, UpdatedAt = _time.GetUtcNow() }; }
        finally { _stateGate.Release(); }
        await SaveAsync(CancellationToken.None);
    }
}
