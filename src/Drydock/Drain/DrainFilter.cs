using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>One rule of the pod filter chain: a name (for diagnostics) and a pure function pod → verdict.</summary>
public sealed record DrainFilter(string Name, Func<Pod, DrainFilterContext, PodVerdict> Apply);

/// <summary>What a filter may read besides the pod: the options and the snapshot (DaemonSet lookups, now).</summary>
public sealed record DrainFilterContext(DrainOptions Options, NodeDrainSnapshot Snapshot);
