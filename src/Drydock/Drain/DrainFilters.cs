using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// kubectl's filter chain (pkg/drain/filters.go) in kubectl's order: skipDeleted, daemonSet, mirror, localStorage,
/// unreplicated. Unlike kubectl, a pod that passes keeps every warning raised on the way (kubectl keeps only the
/// last filter's status, which loses the emptyDir and missing-DaemonSet warnings).
/// </summary>
public static class DrainFilters
{
    public static readonly DrainFilter SkipDeleted = new("skipDeleted", (pod, ctx) =>
    {
        var limit = ctx.Options.SkipWaitForDeleteTimeoutSeconds;
        var deleted = pod.Metadata.DeletionTimestamp;
        return limit > 0 && deleted is { } t && ctx.Snapshot.Now - t > TimeSpan.FromSeconds(limit)
            ? PodVerdict.SkipSilently
            : PodVerdict.Evict;
    });

    public static readonly DrainFilter DaemonSet = new("daemonSet", (pod, ctx) =>
    {
        var owner = PodFacts.Controller(pod);
        if (owner is null || owner.Kind != "DaemonSet" || PodFacts.IsFinished(pod)) return PodVerdict.Evict;
        var lookup = ctx.Snapshot.DaemonSets.GetValueOrDefault(NodeDrainSnapshot.Key(pod.Metadata.Namespace, owner.Name))
            ?? DaemonSetLookup.Found;
        return lookup.Outcome switch
        {
            DaemonSetLookupOutcome.NotFound when ctx.Options.Force => PodVerdict.Warn(lookup.Error!),
            DaemonSetLookupOutcome.NotFound or DaemonSetLookupOutcome.Failed => PodVerdict.Block(lookup.Error!),
            _ when !ctx.Options.IgnoreDaemonSets => PodVerdict.Block(DrainConstants.DaemonSetFatal),
            _ => PodVerdict.Skip(DrainConstants.DaemonSetWarning),
        };
    });

    public static readonly DrainFilter Mirror = new("mirror", (pod, _) =>
        pod.Metadata.Annotations?.ContainsKey(DrainConstants.MirrorPodAnnotation) == true
            ? PodVerdict.SkipSilently
            : PodVerdict.Evict);

    public static readonly DrainFilter LocalStorage = new("localStorage", (pod, ctx) =>
    {
        if (!PodFacts.HasEmptyDir(pod) || PodFacts.IsFinished(pod)) return PodVerdict.Evict;
        return ctx.Options.DeleteEmptyDirData
            ? PodVerdict.Warn(DrainConstants.LocalStorageWarning)
            : PodVerdict.Block(DrainConstants.LocalStorageFatal);
    });

    public static readonly DrainFilter Unreplicated = new("unreplicated", (pod, ctx) =>
    {
        if (PodFacts.IsFinished(pod) || PodFacts.Controller(pod) is not null) return PodVerdict.Evict;
        return ctx.Options.Force
            ? PodVerdict.Warn(DrainConstants.UnmanagedWarning)
            : PodVerdict.Block(DrainConstants.UnmanagedFatal);
    });

    /// <summary>The built-in chain, in kubectl's order.</summary>
    public static IReadOnlyList<DrainFilter> Default { get; } = [SkipDeleted, DaemonSet, Mirror, LocalStorage, Unreplicated];

    /// <summary>Built-in chain followed by the caller's own filters.</summary>
    public static IReadOnlyList<DrainFilter> For(DrainOptions options) => [.. Default, .. options.AdditionalFilters];
}
