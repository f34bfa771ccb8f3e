using Drydock.Common;
using Drydock.Planning.Inventory;
using Drydock.Planning.Upgrade;

namespace Drydock.Scheduling;

/// <summary>
/// The Planning layer's <see cref="IBatchStrategy"/> backed by <see cref="BatchScheduler"/>: `--strategy serial|fixed|smart`.
/// Serial drains one node at a time (the guides' procedure), fixed takes max-unavailable nodes in inventory order,
/// smart chooses each batch so PDBs and capacity hold (see <see cref="BatchScheduler"/>).
/// </summary>
public sealed class SchedulerBatchStrategy(BatchStrategyKind kind, NodeTimeModel? time = null) : IBatchStrategy
{
    public BatchStrategyKind Kind { get; } = kind;

    public string Name => Kind switch
    {
        BatchStrategyKind.Serial => "serial (one node at a time)",
        BatchStrategyKind.Fixed => "fixed-size, inventory order",
        _ => "smart (PDB- and capacity-aware)",
    };

    /// <summary>The whole schedule with its per-batch reasons, waits, blocks and estimates.</summary>
    public BatchSchedule Schedule(IReadOnlyList<NodeState> workers, int batchSize, ClusterSnapshot snapshot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var input = SnapshotBatching.Input(snapshot, workers.Select(w => w.Name).ToList());
        // Keep the caller's worker order (serial and fixed follow it).
        var order = workers.Select((w, i) => (w.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        input = input with { Nodes = input.Nodes.OrderBy(n => order.GetValueOrDefault(n.Name, int.MaxValue)).ToList() };
        return BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = batchSize, Strategy = Kind, Time = time ?? new NodeTimeModel() });
    }

    public IReadOnlyList<IReadOnlyList<NodeState>> Batch(IReadOnlyList<NodeState> workers, int batchSize, ClusterSnapshot snapshot)
    {
        var byName = workers.ToDictionary(w => w.Name, StringComparer.Ordinal);
        return Schedule(workers, batchSize, snapshot).Batches
            .Select(b => (IReadOnlyList<NodeState>)b.Nodes.Select(n => byName[n]).ToList())
            .ToList();
    }
}

public static class BatchStrategies
{
    public const string FlagHelp = "How workers are grouped into batches: serial (one at a time), fixed (max-unavailable at a time, inventory order) or smart (PDB- and capacity-aware batches, default)";

    public static BatchStrategyKind ParseKind(string? text) => (text ?? "smart").Trim().ToLowerInvariant() switch
    {
        "serial" => BatchStrategyKind.Serial,
        "fixed" => BatchStrategyKind.Fixed,
        "smart" or "" => BatchStrategyKind.Smart,
        _ => throw new DrydockException(new UsageError($"--strategy {text}: expected serial, fixed or smart")),
    };

    public static IBatchStrategy Parse(string? text, NodeTimeModel? time = null) => new SchedulerBatchStrategy(ParseKind(text), time);
}
