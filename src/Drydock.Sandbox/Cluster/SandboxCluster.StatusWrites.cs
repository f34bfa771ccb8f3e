using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>Controller writes that replace an object's whole status.</summary>
public sealed partial class SandboxCluster
{
    /// <summary>Stores a new version of <paramref name="current"/> whose status is <paramref name="status"/> (a fresh
    /// node), in the place the old status had (appended when there was none), sharing the rest with the stored version
    /// (the disruption controller rewrites a budget's status after most evictions). As <see cref="ReplaceWith"/>: the caller knows the status differs, and when
    /// <paramref name="current"/> is not the stored version this is a plain Mutate of the stored one.</summary>
    private JsonObject? ReplaceStatus(ServedResource r, JsonObject current, JsonObject status)
    {
        if (!ReferenceEquals(Store.Get(r, current.Ns(), current.Name()), current))
            return Store.Mutate(r, current.Ns(), current.Name(), o => o["status"] = status, shared: true);
        using var perf = Diagnostics.Perf.Measure("copy status-write ", r.Kind.Kind);
        var copy = CopyOnWrite.NewVersion(current);
        copy["status"] = status;
        copy.Meta().Remove("resourceVersion");
        return Store.ReplaceKeepingSpec(r, copy);
    }
}
