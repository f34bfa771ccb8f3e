using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>
/// New versions of stored objects that share every subtree they do not change with the version they replace.
/// A stored version is never edited after commit, so sharing is safe as long as an edit writes only into nodes it
/// owns: the copy's root and metadata (<see cref="NewVersion"/>) and whatever it takes with <see cref="Own"/>.
/// Deep-copying every version made a 150,000-pod rehearsal allocate about 6 GiB more, most of it surviving long
/// enough to be promoted; a pod start now copies the root, metadata and status objects and shares spec.
/// <para><c>System.Text.Json.Nodes</c> gives a node one parent and refuses to add it to a second tree, so a copy's
/// table is filled directly (its private field, through <see cref="UnsafeAccessorAttribute"/>): a shared child keeps
/// the parent link of the tree it was first added to. Nothing in the sandbox reads <see cref="JsonNode.Parent"/>,
/// <see cref="JsonNode.Root"/> or <see cref="JsonNode.GetPath"/>, which are the only readers of that link. Replacing
/// a shared child in an owned node unlinks it (the setter clears its parent), and <see cref="Shared{T}"/> clears it
/// so that a public setter accepts the node; neither changes anything a reader can see.</para>
/// <para>A missing <see cref="Own"/> would silently change history (a watch event already sent, a DELETED final):
/// with <see cref="ObjectStore.VerifyStoredVersions"/> on, as in the tests, the store fingerprints every version
/// at commit and refuses to replace or remove one that changed since.</para>
/// </summary>
internal static class CopyOnWrite
{
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_parent")]
    private static extern ref JsonNode? ParentOf(JsonNode node);

    /// <summary>A new version of <paramref name="stored"/> to edit: its own root and metadata (the store writes
    /// resourceVersion, uid and generation there), every other subtree shared.</summary>
    /// <param name="spare">Room for properties the edit will add to the root, and <paramref name="metadataSpare"/> to
    /// metadata (a table that grows reallocates: a pod created from a prototype gained four metadata fields one by one).</param>
    public static JsonObject NewVersion(JsonObject stored, int spare = 0, int metadataSpare = 0)
    {
        var copy = ShallowCopy(stored, spare);
        copy.Own("metadata", metadataSpare);
        return copy;
    }

    /// <summary>The object's own properties in a new object, in the same order; the values are shared. Built at its
    /// final size — plus room for <paramref name="spare"/> properties the caller will add: added one by one, a pod's
    /// metadata grew its table three times (1,048 bytes against 528).</summary>
    /// <remarks>The copy's table is filled directly, so the shared values keep their parent links untouched. Adding
    /// them through <see cref="JsonObject"/> set each one's parent to the copy and back: two writes into objects that
    /// are mostly old, and a thread-static buffer to do it with (the wall time of a 5,000-node rehearsal measured the
    /// same either way; this is the simpler of the two).</remarks>
    public static JsonObject ShallowCopy(JsonObject source, int spare = 0)
    {
        var count = source.Count; // materializes a source still backed by a JsonElement
        var properties = new OrderedDictionary<string, JsonNode?>(count + spare, DictionaryOf(source)!.Comparer);
        for (var i = 0; i < count; i++)
        {
            var (key, value) = source.GetAt(i);
            properties.Add(key, value);
        }
        var copy = new JsonObject();
        DictionaryOf(copy) = properties;
        return copy;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_dictionary")]
    private static extern ref OrderedDictionary<string, JsonNode?>? DictionaryOf(JsonObject node);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_list")]
    private static extern ref List<JsonNode?>? ListOf(JsonArray node);

    /// <summary>The array's items in a new array, in the same order; the items are shared (their parent links
    /// untouched, as in <see cref="ShallowCopy(JsonObject, int)"/>).</summary>
    public static JsonArray ShallowCopy(JsonArray source)
    {
        var count = source.Count; // materializes a source still backed by a JsonElement
        var items = new List<JsonNode?>(count);
        for (var i = 0; i < count; i++) items.Add(source[i]);
        var copy = new JsonArray();
        ListOf(copy) = items;
        return copy;
    }

    /// <summary>The object under <paramref name="key"/> made this node's own to edit: a shallow copy of the shared
    /// one, put in its place (same position), or a new empty object appended when there is none — what
    /// <see cref="Obj.Ensure"/> gives, without writing into the stored version.</summary>
    /// <param name="spare">Room for properties the edit will add (see <see cref="ShallowCopy(JsonObject, int)"/>).</param>
    public static JsonObject Own(this JsonObject node, string key, int spare = 0)
    {
        var owned = node[key] is JsonObject shared ? ShallowCopy(shared, spare) : new JsonObject();
        node[key] = owned;
        return owned;
    }

    /// <summary>The array under <paramref name="key"/> made this node's own (null when there is no array there).</summary>
    public static JsonArray? OwnArray(this JsonObject node, string key)
    {
        if (node[key] is not JsonArray shared) return null;
        var owned = ShallowCopy(shared);
        node[key] = owned;
        return owned;
    }

    /// <summary>The object at <paramref name="index"/> of an owned array made its own (null when that item is not an object).</summary>
    public static JsonObject? Own(this JsonArray array, int index)
    {
        if (array[index] is not JsonObject shared) return null;
        var owned = ShallowCopy(shared);
        array[index] = owned;
        return owned;
    }

    /// <summary>A node that is (or will be) part of stored versions, to be put into another new version as it is:
    /// nodes that many objects hold alike (the conditions of every pod started in one second) are built once.
    /// Its parent link is cleared so the insert is allowed (see the class notes).</summary>
    public static T Shared<T>(T node) where T : JsonNode
    {
        ParentOf(node) = null;
        return node;
    }

    /// <summary><see cref="JsonNode.DeepEquals"/> that stops at shared subtrees: two versions of one object are
    /// mostly the same nodes, and comparing them walked every one.</summary>
    public static bool SameTree(JsonNode? a, JsonNode? b)
    {
        if (ReferenceEquals(a, b)) return true;
        switch (a)
        {
            case JsonObject oa when b is JsonObject ob:
                if (oa.Count != ob.Count) return false;
                foreach (var (key, value) in oa)
                    if (!ob.TryGetPropertyValue(key, out var other) || !SameTree(value, other)) return false;
                return true;
            case JsonArray aa when b is JsonArray ab:
                if (aa.Count != ab.Count) return false;
                for (var i = 0; i < aa.Count; i++)
                    if (!SameTree(aa[i], ab[i])) return false;
                return true;
            default:
                return JsonNode.DeepEquals(a, b);
        }
    }
}
