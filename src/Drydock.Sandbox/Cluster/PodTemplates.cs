using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// The pod templates ReplicaSets build their pods from, once per spec generation, with plain string leaves
/// (<see cref="MaterializedJson"/>): a template whose leaves are views of a parsed request would decode its UTF-8 on
/// every read, so it is copied; a plain one (a loaded List's, a controller's) is the stored template itself — stored
/// versions never change, and a 30,000-ReplicaSet load kept a second copy of every template for nothing. Pods share
/// its labels and the children of its spec (<see cref="CopyOnWrite"/>). Keyed by uid and <c>metadata.generation</c>:
/// the store bumps the generation on every spec change, and a status write
/// (<see cref="ObjectStore.ReplaceKeepingSpec"/>) keeps the spec as stored.
/// </summary>
internal sealed class PodTemplates
{
    private readonly Dictionary<string, Entry> _byUid = new(StringComparer.Ordinal);

    private sealed class Entry(long generation, JsonObject template)
    {
        public long Generation { get; } = generation;
        public JsonObject Template { get; } = template;
        /// <summary>Built on first use: see <see cref="PrototypeOf"/>.</summary>
        public JsonObject? Prototype { get; set; }
    }

    /// <summary>Whether objects of <paramref name="r"/> have their template kept here.</summary>
    public static bool Holds(ServedResource r) => r == ServedResource.ReplicaSets || r == ServedResource.Deployments;

    /// <summary>The template to build <paramref name="owner"/>'s pods from (null when the owner has no template): never
    /// to be edited — it may be the stored version's — so callers share or copy its parts.</summary>
    public JsonObject? TemplateOf(JsonObject owner) => EntryFor(owner)?.Template;

    /// <summary>A pod of <paramref name="owner"/> as <paramref name="build"/> makes it from the template, built once per
    /// generation and never stored: each new pod is a copy of its root and metadata that shares the rest (spec, labels,
    /// owner reference, initial status; see <see cref="CopyOnWrite"/>). Null when the owner has no template.</summary>
    public JsonObject? PrototypeOf(JsonObject owner, Func<JsonObject> build) =>
        EntryFor(owner) is { } entry ? entry.Prototype ??= build() : null;

    private Entry? EntryFor(JsonObject owner)
    {
        if (owner.Spec().O("template") is not { } template) return null;
        var uid = owner.Uid();
        var generation = owner.O("metadata").L("generation") ?? 1;
        if (_byUid.TryGetValue(uid, out var known) && known.Generation == generation) return known;
        var entry = new Entry(generation, MaterializedJson.IsPlain(template) ? template : MaterializedJson.CopyObject(template));
        _byUid[uid] = entry;
        return entry;
    }

    /// <summary>Drops a deleted workload's template.</summary>
    public void Forget(string uid) => _byUid.Remove(uid);
}
