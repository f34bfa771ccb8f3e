namespace Drydock.Scheduling;

/// <summary>
/// How many pods of each budget every node holds (for the scheduler's spreading), as a short (budget, count) array
/// per node. A pod's candidates are read for each of its budgets, eight nodes per pod: scanning the few budgets on a
/// node (one array, usually in cache, since the best-scored nodes are read again and again) is far cheaper than
/// hashing into a table of every (node, budget) pair. Pairs whose count returns to zero are dropped.
/// </summary>
internal sealed class NodeBudgetCounts
{
    /// <summary>Per node: budget id and count interleaved ([b0, c0, b1, c1, …]) so a lookup touches one array.</summary>
    private readonly int[][] _pairs;
    private readonly int[] _length;

    public NodeBudgetCounts(int nodes)
    {
        _pairs = new int[nodes][];
        Array.Fill(_pairs, []);
        _length = new int[nodes];
    }

    public int Get(int node, int budget)
    {
        var pairs = _pairs[node];
        var end = _length[node];
        for (var k = 0; k < end; k += 2)
            if (pairs[k] == budget) return pairs[k + 1];
        return 0;
    }

    public void Add(int node, int budget, int delta)
    {
        var pairs = _pairs[node];
        var end = _length[node];
        for (var k = 0; k < end; k += 2)
        {
            if (pairs[k] != budget) continue;
            pairs[k + 1] += delta;
            if (pairs[k + 1] == 0)
            {
                // Move the last pair into this slot (order does not matter to lookups).
                pairs[k] = pairs[end - 2];
                pairs[k + 1] = pairs[end - 1];
                _length[node] = end - 2;
            }
            return;
        }
        if (delta == 0) return;
        if (end == pairs.Length) _pairs[node] = pairs = Grow(pairs);
        pairs[end] = budget;
        pairs[end + 1] = delta;
        _length[node] = end + 2;
    }

    private static int[] Grow(int[] pairs)
    {
        var grown = new int[Math.Max(8, pairs.Length * 2)];
        pairs.CopyTo(grown, 0);
        return grown;
    }
}
