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

    /// <summary>Each chunk's first key, kept beside the chunks: finding a key's chunk compares with these in one
    /// array instead of reaching through every probed chunk for its first key (every pod created or removed in a
    /// rehearsal goes through here twice).</summary>
    private readonly List<string> _firsts = [];

    public int Count { get; private set; }

    /// <summary>Adds a key; false when it was already present.</summary>
    public bool Add(string key)
    {
        if (_chunks.Count == 0) { _chunks.Add([key]); _firsts.Add(key); Count = 1; return true; }
        var c = ChunkFor(key);
        var chunk = _chunks[c];
        var i = Search(chunk, key);
        if (i >= 0) return false;
        chunk.Insert(~i, key);
        if (~i == 0) _firsts[c] = key;
        Count++;
        if (chunk.Count > ChunkCapacity)
        {
            var upper = chunk.GetRange(ChunkCapacity / 2, chunk.Count - ChunkCapacity / 2);
            chunk.RemoveRange(ChunkCapacity / 2, upper.Count);
            _chunks.Insert(c + 1, upper);
            _firsts.Insert(c + 1, upper[0]);
        }
        return true;
    }

    /// <summary>Removes a key; false when it was not present.</summary>
    public bool Remove(string key)
    {
        if (_chunks.Count == 0) return false;
        var c = ChunkFor(key);
        var chunk = _chunks[c];
        var i = Search(chunk, key);
        if (i < 0) return false;
        chunk.RemoveAt(i);
        Count--;
        if (chunk.Count == 0) { _chunks.RemoveAt(c); _firsts.RemoveAt(c); }
        else if (i == 0) _firsts[c] = chunk[0];
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
            i = Search(_chunks[c], after);
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
        var firsts = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_firsts);
        int lo = 0, hi = firsts.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (string.CompareOrdinal(firsts[mid], key) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary><see cref="List{T}.BinarySearch(T, IComparer{T})"/> with the ordinal comparison called directly.</summary>
    private static int Search(List<string> chunk, string key)
    {
        var keys = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunk);
        int lo = 0, hi = keys.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var order = string.CompareOrdinal(keys[mid], key);
            if (order == 0) return mid;
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }
}
