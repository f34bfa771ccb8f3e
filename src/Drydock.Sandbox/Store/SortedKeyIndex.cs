namespace Drydock.Sandbox.Store;

/// <summary>
/// Store keys in ordinal order as a list of small sorted chunks (a flat B-tree). Finding where a LIST page starts is
/// two binary searches and a page costs only what it returns — unlike <see cref="SortedSet{T}.GetViewBetween"/>,
/// whose view counts every key in its range each time it is made (a paged LIST of 150,000 pods was quadratic).
/// Inserting or removing moves at most one chunk's worth of references.
/// </summary>
internal sealed class SortedKeyIndex
{
    private const int ChunkCapacity = 512;
    private readonly List<List<string>> _chunks = [];

    public int Count { get; private set; }

    /// <summary>Adds a key; false when it was already present.</summary>
    public bool Add(string key)
    {
        if (_chunks.Count == 0) { _chunks.Add([key]); Count = 1; return true; }
        var c = ChunkFor(key);
        var chunk = _chunks[c];
        var i = chunk.BinarySearch(key, StringComparer.Ordinal);
        if (i >= 0) return false;
        chunk.Insert(~i, key);
        Count++;
        if (chunk.Count > ChunkCapacity)
        {
            var upper = chunk.GetRange(ChunkCapacity / 2, chunk.Count - ChunkCapacity / 2);
            chunk.RemoveRange(ChunkCapacity / 2, upper.Count);
            _chunks.Insert(c + 1, upper);
        }
        return true;
    }

    /// <summary>Removes a key; false when it was not present.</summary>
    public bool Remove(string key)
    {
        if (_chunks.Count == 0) return false;
        var c = ChunkFor(key);
        var chunk = _chunks[c];
        var i = chunk.BinarySearch(key, StringComparer.Ordinal);
        if (i < 0) return false;
        chunk.RemoveAt(i);
        Count--;
        if (chunk.Count == 0) _chunks.RemoveAt(c);
        return true;
    }

    /// <summary>Keys greater than <paramref name="after"/> (or all keys when null), in order, while they sort below
    /// <paramref name="upperExclusive"/> (no bound when null).</summary>
    public IEnumerable<string> Range(string? after, string? upperExclusive)
    {
        if (_chunks.Count == 0) yield break;
        int c = 0, i = 0;
        if (after is not null)
        {
            c = ChunkFor(after);
            i = _chunks[c].BinarySearch(after, StringComparer.Ordinal);
            i = i >= 0 ? i + 1 : ~i;
        }
        for (; c < _chunks.Count; c++, i = 0)
        {
            var chunk = _chunks[c];
            for (; i < chunk.Count; i++)
            {
                var key = chunk[i];
                if (upperExclusive is not null && string.CompareOrdinal(key, upperExclusive) >= 0) yield break;
                yield return key;
            }
        }
    }

    /// <summary>The chunk whose first key is the greatest at or below <paramref name="key"/> (chunk 0 when none is).</summary>
    private int ChunkFor(string key)
    {
        int lo = 0, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (string.CompareOrdinal(_chunks[mid][0], key) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
