using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// The pod templates of ReplicaSets and Deployments, serialized once per spec generation and shared by every
/// version a status write stores. A stored version is never edited, but <c>System.Text.Json.Nodes</c> cannot
/// share a subtree between two trees (a node has one parent), so each status write used to deep-copy the template
/// — most of the object, and a fifth of what a rehearsal allocates. A <see cref="JsonObject"/> created over a
/// parsed <see cref="JsonElement"/> reads (and writes) that element lazily, and copying one that nobody has read
/// copies only the reference: so a status write now copies the template in O(1). Pods are built from a private
/// materialized copy (<see cref="TemplateOf"/>), so building them never materializes a stored version's template.
/// Keyed by uid and <c>metadata.generation</c>: the store bumps the generation on every spec change, and a status
/// write (<see cref="ObjectStore.ReplaceKeepingSpec"/>) keeps the spec as stored.
/// </summary>
internal sealed class FrozenTemplates
{
    private readonly Dictionary<string, Entry> _byUid = new(StringComparer.Ordinal);

    private sealed class Entry(long generation, JsonElement frozen)
    {
        public long Generation { get; } = generation;
        public JsonElement Frozen { get; } = frozen;
        /// <summary>Built on first use: what pods are made from (plain string leaves, see <see cref="MaterializedJson"/>).</summary>
        public JsonObject? Materialized { get; set; }
    }

    /// <summary>Whether objects of <paramref name="r"/> have their template shared.</summary>
    public static bool Holds(ServedResource r) => r == ServedResource.ReplicaSets || r == ServedResource.Deployments;

    /// <summary>A copy of <paramref name="workload"/> for a status write: every node copied, except spec.template,
    /// which is a lazily read view of the frozen template of this generation (property order kept).</summary>
    public JsonObject CopyForStatusWrite(JsonObject workload)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in workload)
            copy[key] = key == "spec" && value is JsonObject spec ? CopySpec(workload, spec) : value?.DeepClone();
        return copy;
    }

    private JsonObject CopySpec(JsonObject workload, JsonObject spec)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in spec)
            copy[key] = key == "template" && value is JsonObject template
                ? JsonObject.Create(EntryFor(workload, template).Frozen)
                : value?.DeepClone();
        return copy;
    }

    /// <summary>The template to build <paramref name="owner"/>'s pods from, materialized once per generation and
    /// never stored: callers copy from it (null when the owner has no template).</summary>
    public JsonObject? TemplateOf(JsonObject owner)
    {
        if (owner.Spec().O("template") is not { } template) return null;
        var entry = EntryFor(owner, template);
        return entry.Materialized ??= MaterializedJson.CopyObject(JsonObject.Create(entry.Frozen)!);
    }

    /// <summary>Drops a deleted workload's template.</summary>
    public void Forget(string uid) => _byUid.Remove(uid);

    private Entry EntryFor(JsonObject workload, JsonObject template)
    {
        var uid = workload.Uid();
        var generation = workload.O("metadata").L("generation") ?? 1;
        if (_byUid.TryGetValue(uid, out var entry) && entry.Generation == generation) return entry;
        _byUid[uid] = entry = new Entry(generation, Freeze(template));
        return entry;
    }

    /// <summary>Writes the node (a view of an element writes the element itself, without materializing) and parses
    /// it back into a document that is not pooled, so copies of views over it share it.</summary>
    internal static JsonElement Freeze(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
