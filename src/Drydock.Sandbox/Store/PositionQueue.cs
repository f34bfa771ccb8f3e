namespace Drydock.Sandbox.Store;

/// <summary>One node's increasing log positions in a growable ring buffer: appended at the back, removed from the
/// front, and indexable for a binary search (which <see cref="Queue{T}"/> is not).</summary>
internal sealed class PositionQueue(string node)
{
    private long[] _items = new long[4];
    private int _head;

    public string Node { get; } = node;

    public int Count { get; private set; }

    public long this[int index] => _items[(_head + index) % _items.Length];

    public void Append(long position)
    {
        if (Count == _items.Length) Grow();
        _items[(_head + Count) % _items.Length] = position;
        Count++;
    }

    public void RemoveFirst()
    {
        if (Count == 0) throw new InvalidOperationException("the queue is empty");
        _head = (_head + 1) % _items.Length;
        Count--;
    }

    /// <summary>The index of the first position at or after <paramref name="position"/> (<see cref="Count"/> when none is).</summary>
    public int FirstIndexAtOrAfter(long position)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (this[mid] >= position) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private void Grow()
    {
        var bigger = new long[_items.Length * 2];
        for (var i = 0; i < Count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
