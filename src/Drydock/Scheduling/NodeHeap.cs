namespace Drydock.Scheduling;

/// <summary>
/// Schedulable nodes in LeastAllocated order (score descending, then name ordinal), one entry per node, with each
/// node's position kept so a changed node moves in place. Finding a pod's candidates walks the heap best-first
/// without taking entries out: placing a pod then moves only the node it lands on (one O(log n) update), where
/// popping the best eight and pushing them back cost sixteen.
/// </summary>
internal sealed class NodeHeap
{
    private readonly int[] _rank;
    private readonly double[] _score;
    private readonly int[] _position;
    private readonly int[] _items;
    /// <summary>The walk's frontier: heap positions whose parents were visited, with their node's score and rank copied in (compared without indirection).</summary>
    private (double Score, int Rank, int Position)[] _frontier = new (double, int, int)[16];
    private int _frontierCount;
    private int _count;

    /// <param name="rank">Each node's place in ordinal name order: the tie-break between equal scores.</param>
    public NodeHeap(int[] rank)
    {
        _rank = rank;
        _score = new double[rank.Length];
        _position = new int[rank.Length];
        Array.Fill(_position, -1);
        _items = new int[rank.Length];
    }

    public int Count => _count;

    public bool Contains(int node) => _position[node] >= 0;

    /// <summary>Adds the node or moves it to its new score.</summary>
    public void Set(int node, double score)
    {
        var p = _position[node];
        _score[node] = score;
        if (p < 0)
        {
            p = _count++;
            _items[p] = node;
            _position[node] = p;
        }
        if (!SiftUp(p)) SiftDown(p);
    }

    public void Remove(int node)
    {
        var p = _position[node];
        if (p < 0) return;
        _position[node] = -1;
        var last = _items[--_count];
        if (p == _count) return;
        _items[p] = last;
        _position[last] = p;
        if (!SiftUp(p)) SiftDown(p);
    }

    /// <summary>Starts a best-first walk; the heap must not change until the walk is done.</summary>
    public void BeginWalk()
    {
        _frontierCount = 0;
        if (_count > 0) FrontierAdd(0);
    }

    /// <summary>The next node of the walk in heap order (best first), or false when every node was visited.</summary>
    public bool TryNext(out int node, out double score)
    {
        if (_frontierCount == 0) { node = -1; score = 0; return false; }
        var p = _frontier[0].Position;
        var tail = _frontier[--_frontierCount];
        if (_frontierCount > 0) { _frontier[0] = tail; FrontierDown(0); }
        var child = 2 * p + 1;
        if (child < _count) FrontierAdd(child);
        if (child + 1 < _count) FrontierAdd(child + 1);
        node = _items[p];
        score = _score[node];
        return true;
    }

    private bool Before(int a, int b) => _score[a] != _score[b] ? _score[a] > _score[b] : _rank[a] < _rank[b];

    private bool SiftUp(int p)
    {
        var moved = false;
        var node = _items[p];
        while (p > 0)
        {
            var parent = (p - 1) / 2;
            if (!Before(node, _items[parent])) break;
            Place(_items[parent], p);
            p = parent;
            moved = true;
        }
        Place(node, p);
        return moved;
    }

    private void SiftDown(int p)
    {
        var node = _items[p];
        while (true)
        {
            var child = 2 * p + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Before(_items[child + 1], _items[child])) child++;
            if (!Before(_items[child], node)) break;
            Place(_items[child], p);
            p = child;
        }
        Place(node, p);
    }

    private void Place(int node, int p)
    {
        _items[p] = node;
        _position[node] = p;
    }

    // The walk's frontier: a small binary heap by the same order as the nodes'.
    private static bool Before((double Score, int Rank, int Position) a, (double Score, int Rank, int Position) b) =>
        a.Score != b.Score ? a.Score > b.Score : a.Rank < b.Rank;

    private void FrontierAdd(int position)
    {
        if (_frontierCount == _frontier.Length) Array.Resize(ref _frontier, _frontier.Length * 2);
        var node = _items[position];
        var entry = (_score[node], _rank[node], position);
        var i = _frontierCount++;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Before(entry, _frontier[parent])) break;
            _frontier[i] = _frontier[parent];
            i = parent;
        }
        _frontier[i] = entry;
    }

    private void FrontierDown(int i)
    {
        var entry = _frontier[i];
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= _frontierCount) break;
            if (child + 1 < _frontierCount && Before(_frontier[child + 1], _frontier[child])) child++;
            if (!Before(_frontier[child], entry)) break;
            _frontier[i] = _frontier[child];
            i = child;
        }
        _frontier[i] = entry;
    }
}
