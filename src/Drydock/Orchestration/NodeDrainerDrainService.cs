using Drydock.Drain;

namespace Drydock.Orchestration;

/// <summary>
/// <see cref="IDrainService"/> over the Drain layer's <see cref="NodeDrainer"/>: kubectl drain's semantics (PDBs honoured
/// through the Eviction API, 429s retried on the injected clock). Defaults match the seeds' `kubectl drain
/// --ignore-daemonsets`; the orchestrator records its own per-phase Events, the drainer adds the drain's own.
/// </summary>
public sealed class NodeDrainerDrainService(NodeDrainer drainer, DrainOptions? options = null) : IDrainService
{
    public DrainOptions Options { get; } = options ?? new DrainOptions { IgnoreDaemonSets = true };

    public Task CordonAsync(string node, CancellationToken ct) => drainer.CordonAsync(node, ct: ct);

    public Task UncordonAsync(string node, CancellationToken ct) => drainer.UncordonAsync(node, ct: ct);

    public async Task<DrainOutcome> DrainAsync(string node, CancellationToken ct)
    {
        var result = await drainer.DrainAsync(node, Options, progress: null, ct);
        if (result.Succeeded)
            return DrainOutcome.Ok($"drained: {result.Evicted.Count} evicted, {result.Deleted.Count} deleted, {result.Skipped.Count} left in place");
        var pending = result.PendingPods.Count == 0 ? "" : $" (still on the node: {string.Join(", ", result.PendingPods.Take(10))})";
        return DrainOutcome.Failed(result.Error!.Message + pending);
    }
}
