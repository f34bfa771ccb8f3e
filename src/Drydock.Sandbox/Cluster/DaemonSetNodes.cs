using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// One DaemonSet's pods grouped by node, with the counts its controller needs, kept up to date from store changes,
/// plus the nodes the controller has yet to look at. A DaemonSet is reconciled after every change of one of its pods
/// (a pod per node: 5,000 nodes in a large rehearsal); with this view a pass costs the nodes that changed, not a walk
/// over every node and every pod.
/// </summary>
/// <remarks>Built from the owned pods when the controller first meets the DaemonSet at a generation (its template,
/// hence <see cref="Want"/>, only changes with the generation); from then on fed every change of its pods.</remarks>
internal sealed class DaemonSetNodes
{
    /// <summary>The DaemonSet's pods bound to one node (pod names in ordinal order) and their counts.</summary>
    internal sealed class OnNode
    {
        public SortedSet<string> Pods { get; } = new(StringComparer.Ordinal);
        public int Active { get; set; }
        public int ReadyActive { get; set; }
        public int Terminating { get; set; }

        /// <summary>What this node added to <see cref="Desired"/> and <see cref="Ready"/> when the controller last looked.</summary>
        public bool CountedDesired { get; set; }
        public int CountedReady { get; set; }
    }

    private readonly Dictionary<string, OnNode> _nodes = new(StringComparer.Ordinal);
    /// <summary>The stored versions of active pods whose images differ from <see cref="Want"/> (by reference: a
    /// version leaves when its replacement or removal is applied).</summary>
    private readonly HashSet<JsonObject> _outdated = new(ReferenceEqualityComparer.Instance);
    private SortedSet<string> _dirty = new(StringComparer.Ordinal);
    private bool _allDirty = true;

    public DaemonSetNodes(long generation, string want, IEnumerable<JsonObject> pods)
    {
        Generation = generation;
        Want = want;
        foreach (var pod in pods) Count(pod, +1);
    }

    /// <summary>The DaemonSet generation this view was built for.</summary>
    public long Generation { get; }

    /// <summary>The template's containers as <c>name=image,…</c>; active pods that differ are <see cref="Outdated"/>.</summary>
    public string Want { get; }

    /// <summary>Pods neither terminating nor finished, on any node.</summary>
    public int Active { get; private set; }
    public int Terminating { get; private set; }
    public int ActiveUnready { get; private set; }
    public int Outdated => _outdated.Count;

    /// <summary>Whether this stored pod version is active and runs other images than the template's.</summary>
    public bool IsOutdated(JsonObject pod) => _outdated.Contains(pod);

    /// <summary>Eligible nodes and the ready active pods on them, as of the controller's last look at each node.</summary>
    public int Desired { get; private set; }
    public int Ready { get; private set; }

    public OnNode? On(string node) => _nodes.GetValueOrDefault(node);

    public IReadOnlyDictionary<string, OnNode> Nodes => _nodes;

    /// <summary>A pod of this DaemonSet changed: <paramref name="before"/> null when created, <paramref name="after"/> null when removed.</summary>
    public void Apply(JsonObject? before, JsonObject? after)
    {
        if (before is not null) Count(before, -1);
        if (after is not null) Count(after, +1);
    }

    /// <summary>Something the controller decides on changed for this node (its labels, taints, readiness; its existence).</summary>
    public void MarkDirty(string node)
    {
        if (!_allDirty) _dirty.Add(node);
    }

    /// <summary>The nodes to look at now, in name order (every node after a rebuild), and clears the set: changes
    /// the controller's own writes cause during the pass mark their nodes for the next pass.</summary>
    public List<string> TakeDirty(Func<IEnumerable<string>> allNodes)
    {
        List<string> take;
        if (_allDirty)
        {
            var all = new SortedSet<string>(allNodes(), StringComparer.Ordinal);
            all.UnionWith(_nodes.Keys);
            take = [.. all];
        }
        else take = [.. _dirty];
        _allDirty = false;
        _dirty = new SortedSet<string>(StringComparer.Ordinal);
        return take;
    }

    /// <summary>Records what a node adds to <see cref="Desired"/> and <see cref="Ready"/> (nothing for a node that is
    /// gone or not eligible).</summary>
    public void Counted(string node, bool desired, int ready)
    {
        var on = _nodes.GetValueOrDefault(node);
        if (on is null)
        {
            if (!desired) return;
            _nodes[node] = on = new OnNode();
        }
        Desired += (desired ? 1 : 0) - (on.CountedDesired ? 1 : 0);
        Ready += ready - on.CountedReady;
        on.CountedDesired = desired;
        on.CountedReady = ready;
        Forget(node, on);
    }

    private void Count(JsonObject pod, int sign)
    {
        var node = pod.Spec().S("nodeName") ?? "";
        if (!_nodes.TryGetValue(node, out var on)) _nodes[node] = on = new OnNode();
        var terminating = pod.IsTerminating();
        var active = !terminating && !SandboxCluster.PodFinished(pod);
        var ready = active && SandboxCluster.PodReady(pod);
        if (sign > 0) on.Pods.Add(pod.Name()); else on.Pods.Remove(pod.Name());
        if (terminating) { on.Terminating += sign; Terminating += sign; }
        if (active)
        {
            on.Active += sign;
            Active += sign;
            if (ready) on.ReadyActive += sign; else ActiveUnready += sign;
            if (!SandboxCluster.ImagesAre(pod.Spec(), Want))
            {
                if (sign > 0) _outdated.Add(pod); else _outdated.Remove(pod);
            }
        }
        MarkDirty(node);
        Forget(node, on);
    }

    /// <summary>Drops a node's entry once nothing is on it and it counts for nothing.</summary>
    private void Forget(string node, OnNode on)
    {
        if (on.Pods.Count == 0 && !on.CountedDesired && on.CountedReady == 0) _nodes.Remove(node);
    }
}
