using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>What `drydock upgrade abort` did: nodes uncordoned (their procedure had finished), nodes left cordoned mid-procedure.</summary>
public sealed record AbortReport
{
    public IReadOnlyList<string> Uncordoned { get; init; } = [];
    /// <summary>"node (last completed step: X)" — drained but not finished; resume or uncordon by hand.</summary>
    public IReadOnlyList<string> LeftCordoned { get; init; } = [];
    /// <summary>Another process runs the upgrade: the abort was only requested; it stops after its current steps.</summary>
    public LockHolder? RequestedFrom { get; init; }

    public string Describe() => RequestedFrom is { } h
        ? $"abort requested: the running orchestrator ({h.Identity}) stops after its current steps and cleans up"
        : $"aborted; uncordoned: {(Uncordoned.Count == 0 ? "none" : string.Join(", ", Uncordoned))}; left cordoned: " +
          (LeftCordoned.Count == 0 ? "none" : string.Join(", ", LeftCordoned) + " (finish them with `drydock upgrade --resume` before aborting, or `drydock uncordon NODE`)");
}

public static class RolloutAborter
{
    /// <summary>Stops the recorded run: if its orchestrator is alive (holds the lock) asks it to stop; else cleans up itself.</summary>
    public static async Task<AbortReport> AbortAsync(IKubeClient kube, IRunStateStore store, IClusterLock clusterLock, IDrainService drain,
        IRunJournal journal, string identity, TimeProvider time, CancellationToken ct)
    {
        var state = await store.LoadAsync(ct) ?? throw new DrydockException(new OperationError(
            $"no run to abort: ConfigMap {RolloutConstants.Namespace}/{RolloutConstants.StateConfigMap} holds no run state"));
        if (state.Status is RunStatus.Completed or RunStatus.Aborted)
            throw new DrydockException(new OperationError($"no run to abort: run {state.RunId} is already {state.Status.ToString().ToLowerInvariant()}"));
        ILockHandle handle;
        try
        {
            handle = await clusterLock.AcquireAsync(identity, ct);
        }
        catch (DrydockException ex) when (ex.Error is LockHeldError held)
        {
            await store.RequestAbortAsync(identity, ct);
            return new AbortReport { RequestedFrom = held.Holder };
        }
        await using (handle)
        {
            var report = await CleanUpAsync(state, kube, drain, ct);
            state = state with { Status = RunStatus.Aborted, AbortRequested = true, UpdatedAt = time.GetUtcNow() };
            await store.SaveAsync(state, ct);
            await journal.AppendAsync(state, ct);
            return report;
        }
    }

    /// <summary>Uncordons nodes Drydock cordoned whose procedure reached its final health gate; reports the others still cordoned.</summary>
    internal static async Task<AbortReport> CleanUpAsync(RunState state, IKubeClient kube, IDrainService drain, CancellationToken ct)
    {
        var uncordoned = new List<string>();
        var left = new List<string>();
        var latest = state.Nodes.Values.GroupBy(p => p.Node).Select(g => g.OrderBy(p => p.Hop).Last());
        foreach (var p in latest.OrderBy(p => p.Node, StringComparer.Ordinal))
        {
            if (p.WasCordoned != false || p.CompletedSteps.Contains(StepIds.Uncordon)) continue;
            var node = await kube.GetAsync<Node>(ResourceKind.Nodes, null, p.Node, ct);
            if (!node.IsCordoned()) continue;
            if (p.CompletedSteps.Contains(StepIds.WaitReady))
            {
                await drain.UncordonAsync(p.Node, ct);
                uncordoned.Add(p.Node);
            }
            else
            {
                left.Add($"{p.Node} (last completed step: {(p.CompletedSteps.Count == 0 ? "none" : p.CompletedSteps[^1])})");
            }
        }
        return new AbortReport { Uncordoned = uncordoned, LeftCordoned = left };
    }
}
