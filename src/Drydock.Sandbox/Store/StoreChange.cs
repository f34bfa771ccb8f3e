using System.Globalization;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>One committed change: what a watch sends (ADDED/MODIFIED/DELETED) and what controllers react to.</summary>
internal sealed class StoreChange
{
    private JsonObject? _object;

    public StoreChange(long resourceVersion, string type, ServedResource resource, JsonObject @object, JsonObject? previous)
    {
        ResourceVersion = resourceVersion; Type = type; Resource = resource; _object = @object; Previous = previous;
    }

    private StoreChange(long resourceVersion, ServedResource resource, JsonObject removed, object? removedTyped)
    {
        ResourceVersion = resourceVersion; Type = "DELETED"; Resource = resource; Previous = removed; RemovedTyped = removedTyped;
    }

    /// <summary>The removal of <paramref name="removed"/> at <paramref name="resourceVersion"/>. Its final (what a
    /// watch sends) is copied only when someone reads <see cref="Object"/>: most deletions are only ever looked at for
    /// their content, and copying every removed pod was a steady share of a rehearsal's allocations.</summary>
    public static StoreChange Deleted(long resourceVersion, ServedResource resource, JsonObject removed, object? removedTyped = null) =>
        new(resourceVersion, resource, removed, removedTyped);

    /// <summary>For DELETED: the store's typed copy of the removed version, if one had been made while it was stored.
    /// A drain's watch reads a pod's terminating version, then its DELETED final, built from that same version: the
    /// store forgets its copy at the removal, and every evicted pod was converted a second time.</summary>
    public object? RemovedTyped { get; }

    public long ResourceVersion { get; }
    public string Type { get; }
    public ServedResource Resource { get; }

    /// <summary>The version this change replaced or removed (null for ADDED).</summary>
    public JsonObject? Previous { get; }

    /// <summary>The object as a watch sends it. For DELETED: the removed version with metadata.resourceVersion set to
    /// the deletion's, as the apiserver sends it — made on first read (readers may be on other threads: the first
    /// copy published wins, so all share one).</summary>
    public JsonObject Object => _object ?? Interlocked.CompareExchange(ref _object, FinalOf(Previous!, ResourceVersion), null) ?? _object!;

    /// <summary>The object's content after the change: <see cref="Object"/>, or for DELETED the removed version,
    /// which differs from the final only in metadata.resourceVersion. For readers that do not look at that.</summary>
    public JsonObject Last => Type == "DELETED" ? Previous! : _object!;

    /// <summary>This change for handlers that read only content (names, labels, spec, status — never
    /// metadata.resourceVersion): for DELETED, a change whose <see cref="Object"/> is the removed version itself, so
    /// passing it on makes no final; any other change as it is.</summary>
    public StoreChange ContentView() => Type == "DELETED" && _object is null ? new(ResourceVersion, Type, Resource, Previous!, Previous) : this;

    /// <summary>The DELETED final of <paramref name="removed"/>: a new version carrying the deletion's resourceVersion
    /// (stored versions are never mutated), sharing all but its root and metadata with the removed one.</summary>
    internal static JsonObject FinalOf(JsonObject removed, long resourceVersion)
    {
        var final = CopyOnWrite.NewVersion(removed);
        final.Meta()["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return final;
    }
}
