using Drydock.Planning.Inventory;

namespace Drydock.Planning.Upgrade;

/// <summary>Groups worker nodes into batches that are drained and upgraded together, in execution order.</summary>
public interface IBatchStrategy
{
    string Name { get; }

    IReadOnlyList<IReadOnlyList<NodeState>> Batch(IReadOnlyList<NodeState> workers, int batchSize, ClusterSnapshot snapshot);
}

/// <summary>Fixed-size batches in inventory order (the API's node list order).</summary>
public sealed class FixedSizeBatchStrategy : IBatchStrategy
{
    public string Name => "fixed-size, inventory order";

    public IReadOnlyList<IReadOnlyList<NodeState>> Batch(IReadOnlyList<NodeState> workers, int batchSize, ClusterSnapshot snapshot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return workers.Chunk(batchSize).Select(c => (IReadOnlyList<NodeState>)c).ToList();
    }
}
