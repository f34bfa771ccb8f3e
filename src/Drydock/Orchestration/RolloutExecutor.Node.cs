using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

public sealed partial class RolloutExecutor
{
    private enum NodeOutcome { Done, Failed, Aborted }

    /// <summary>One node's procedure, from its first step not yet recorded as completed.</summary>
    private async Task<NodeOutcome> RunNodeAsync(int hopIndex, RolloutHop hop, RolloutBatch batch, RolloutNode node, CancellationToken ct)
    {
        var all = NodeProcedures.For(_state.Plan, hop, node.Role);
        var steps = NodeProcedures.ForStage(all, batch.Stage);
        var progress = _state.NodeAt(hopIndex, node.Name);
        var ctx = new NodeContext(hopIndex, hop, batch, node);
        if (progress.WasCordoned is null)
        {
            // Before touching it, remember how we found it (kured: a node cordoned by someone else stays cordoned).
            var n = await _kube.GetAsync<Node>(ResourceKind.Nodes, null, node.Name, ct);
            progress = await UpdateNodeAsync(progress with
            {
                Phase = NodePhase.Running, WasCordoned = n.IsCordoned(), BootIdBefore = n.BootId(), StartedAt = _time.GetUtcNow(),
            });
            await EmitAsync(ctx.Event(RolloutEventKind.NodeStarted) with
            {
                Message = $"{node.Name} ({Role(node.Role)}): {n.Describe()}" + (n.IsCordoned() ? " — was already cordoned; it will be left cordoned" : ""),
            });
        }
        else if (progress.Phase != NodePhase.Running)
        {
            progress = await UpdateNodeAsync(progress with { Phase = NodePhase.Running });
        }

        foreach (var step in steps)
        {
            if (progress.CompletedSteps.Contains(step.Id)) continue;
            if (await AbortRequestedAsync(ct)) return NodeOutcome.Aborted;
            ct.ThrowIfCancellationRequested();

            progress = await UpdateNodeAsync(progress with { CurrentStep = step.Id });
            await EmitAsync(ctx.Event(RolloutEventKind.StepStarted, step));
            await _events.RecordAsync(node.Name, "DrydockStepStarted", $"{HopTitle(hop)}: {step.Describe()}");
            var started = _time.GetTimestamp();

            var outcome = await ExecuteStepAsync(step, ctx, progress, ct);
            var elapsed = _time.GetElapsedTime(started);
            switch (outcome)
            {
                case StepOutcome.Failed f:
                    var failure = f.Failure with { At = _time.GetUtcNow() };
                    await UpdateNodeAsync(progress with { Phase = NodePhase.Failed }, failure);
                    await EmitAsync(ctx.Event(RolloutEventKind.StepFailed, step) with
                    {
                        Command = failure.Command, ExitCode = failure.ExitCode, Output = failure.Output, Message = failure.Message, Elapsed = elapsed,
                    });
                    await _events.RecordAsync(node.Name, "DrydockStepFailed", $"{step.Describe()}: {failure.Message}", warning: true);
                    return NodeOutcome.Failed;
                case StepOutcome.Skipped s:
                    progress = await UpdateNodeAsync(progress with
                    {
                        CompletedSteps = [.. progress.CompletedSteps, step.Id], CurrentStep = null,
                        SkippedSteps = [.. progress.SkippedSteps, $"{step.Id}: {s.Reason}"],
                    });
                    await EmitAsync(ctx.Event(RolloutEventKind.StepSkipped, step) with { Message = s.Reason, Elapsed = elapsed });
                    break;
                case StepOutcome.Done d:
                    progress = await UpdateNodeAsync(progress with { CompletedSteps = [.. progress.CompletedSteps, step.Id], CurrentStep = null });
                    await EmitAsync(ctx.Event(RolloutEventKind.StepCompleted, step) with
                    {
                        Command = d.Result?.CommandLine, ExitCode = d.Result?.ExitCode, Output = d.Result is null ? d.Note : Output(d.Result), Message = d.Note, Elapsed = elapsed,
                    });
                    await _events.RecordAsync(node.Name, "DrydockStepCompleted", $"{HopTitle(hop)}: {step.Describe()}");
                    break;
            }
        }
        if (all.All(s => progress.CompletedSteps.Contains(s.Id)))
        {
            await UpdateNodeAsync(progress with { Phase = NodePhase.Done, CurrentStep = null, FinishedAt = _time.GetUtcNow() });
            await EmitAsync(ctx.Event(RolloutEventKind.NodeCompleted) with { Message = $"{node.Name} done" });
        }
        return NodeOutcome.Done;
    }

    /// <summary>
    /// Whether `drydock upgrade abort` asked this run to stop. Checked before every step, but one look at the cluster
    /// serves every step that starts at the same moment (a batch of nodes moving in step) — a look being a read of the
    /// ConfigMap, or a save of the state at this moment, which answers with the whole ConfigMap too. An abort recorded
    /// before that look stops every step that has not started; one recorded after it, the steps of the next moment.
    /// </summary>
    private async Task<bool> AbortRequestedAsync(CancellationToken ct)
    {
        if (_state.AbortRequested) return true;
        var now = _time.GetUtcNow();
        Task<string?> look;
        lock (_abortLookGate)
        {
            if (_abortLook is not { } last || last.At != now) _abortLook = (now, _store.AbortRequestAsync(ct));
            look = _abortLook.Value.Requester;
        }
        if (await look is null) return false;
        await _stateGate.WaitAsync(CancellationToken.None);
        try { _state = _state with { AbortRequested = true }; }
        finally { _stateGate.Release(); }
        return true;
    }

    /// <summary>The latest look for an abort request and the moment it was taken.</summary>
    private (DateTimeOffset At, Task<string?> Requester)? _abortLook;
    private readonly Lock _abortLookGate = new();

    /// <summary>A save just answered with the ConfigMap as it is now: it serves as this moment's look for an abort request.</summary>
    private void SawAbortRequestInSave()
    {
        lock (_abortLookGate) _abortLook = (_time.GetUtcNow(), Task.FromResult(_store.AbortRequestSeenBySave));
    }

    private async Task<NodeProgress> UpdateNodeAsync(NodeProgress progress, RunFailure? failure = null)
    {
        await _stateGate.WaitAsync(CancellationToken.None);
        try
        {
            _state = _state.WithNode(progress, _time.GetUtcNow());
            if (failure is not null && _state.Failure is null) _state = _state with { Failure = failure };
        }
        finally { _stateGate.Release(); }
        // The journal's events already record every step; full state snapshots go there when a node finishes or fails.
        await SaveAsync(CancellationToken.None, journalState: progress.Phase is NodePhase.Done or NodePhase.Failed);
        return progress;
    }

    /// <summary>
    /// State to the cluster first (it is what resume reads), then the local mirror. Group commit: a caller returns
    /// only after a write that contains its change, but changes made at the same moment (a batch of nodes finishing
    /// the same step) share one write — the state is the whole run, so writing it once per node per step made a
    /// 5,000-node run cost O(nodes²) bytes of ConfigMap writes.
    /// </summary>
    private async Task SaveAsync(CancellationToken ct, bool journalState = true)
    {
        // Every change to _state happens before its caller gets here, so the ticket orders it.
        var ticket = Interlocked.Increment(ref _stateTicket);
        // One turn of the scheduler lets the other changes of this moment take their tickets before the write.
        await Task.Yield();
        RunState snapshot;
        // Not cancellable, like every other wait on the gate: a cancellable SemaphoreSlim wait completes through the
        // thread pool, where a rehearsal's driver cannot order it; the gate is only ever held for one write.
        await _stateGate.WaitAsync(CancellationToken.None);
        try
        {
            // Tickets up to `covers` were taken after their changes, so the snapshot read next contains them all.
            var covers = Volatile.Read(ref _stateTicket);
            snapshot = _state;
            if (_savedTicket < ticket)
            {
                await _store.SaveAsync(snapshot, ct);
                _savedTicket = covers;
                SawAbortRequestInSave();
            }
            // Under the gate, so the journal records states in the order they were made (it writes deltas between them).
            if (journalState) await _journal.AppendAsync(snapshot, ct);
        }
        finally { _stateGate.Release(); }
    }

    private long _stateTicket;
    private long _savedTicket;

    private static string Output(Nodes.NodeStepResult r)
    {
        var text = (r.Stdout + r.Stderr).Trim();
        return text.Length > RolloutConstants.FailureOutputLimit ? "…" + text[^RolloutConstants.FailureOutputLimit..] : text;
    }

    private static string Role(NodeRole r) => r switch
    {
        NodeRole.FirstControlPlane => "first control plane",
        NodeRole.ControlPlane => "control plane",
        _ => "worker",
    };

    private sealed record NodeContext(int Hop, RolloutHop HopPlan, RolloutBatch Batch, RolloutNode Node)
    {
        public RolloutEvent Event(RolloutEventKind kind, ProcedureStep? step = null) => new()
        {
            Kind = kind,
            Node = Node.Name, Role = Node.Role, Hop = Hop, Batch = Batch.Index, Version = HopPlan.Version,
            StepId = step?.Id, Step = step?.Describe(),
        };
    }
}
