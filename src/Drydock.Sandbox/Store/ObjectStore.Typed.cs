using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

internal sealed partial class ObjectStore
{
    /// <summary>Typed copies of stored versions. An entry exists from a version's commit until it is replaced or
    /// removed, so the cache holds exactly the live versions — no weak handles for the GC to trace, unlike a
    /// ConditionalWeakTable — and objects that were never stored (dry runs, DELETED finals) are simply not cached.</summary>
    private readonly Dictionary<JsonObject, object?> _typed = new(ReferenceEqualityComparer.Instance);

    /// <summary>The typed record of <paramref name="o"/>, converted once per stored version. Stored objects never
    /// change after commit and typed records are immutable, so every reader may share it (a drain's retries GET the
    /// same PDB thousands of times).</summary>
    public T Typed<T>(JsonObject o, Func<JsonObject, T> convert) where T : class
    {
        lock (Gate)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_typed, o);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot)) return convert(o);
            if (slot is T known) return known;
            var value = convert(o);
            slot = value;
            return value;
        }
    }

    /// <summary>Opens the cache slot of a newly stored version and drops the one it replaced.</summary>
    private void TrackTyped(JsonObject stored, JsonObject? replaced)
    {
        if (replaced is not null) _typed.Remove(replaced);
        _typed[stored] = null;
    }
}
