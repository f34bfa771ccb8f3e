using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>
/// Live watches by resource, and pod watches with fieldSelector spec.nodeName=X also by node, so a commit only
/// evaluates the watches it can concern: every drain and kubelet watches its own node's pods, and checking each of
/// those selectors against every pod change made the fan-out cost nodes × changes. Candidates come back in
/// registration order, the order events were always delivered in.
/// </summary>
internal sealed class WatcherIndex
{
    private readonly Dictionary<ServedResource, List<WatchSubscription>> _byResource = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, List<WatchSubscription>> _podsByNode = new(StringComparer.Ordinal);
    private readonly List<WatchSubscription> _scratch = [];
    private long _nextSequence;

    public int Count { get; private set; }

    public void Add(WatchSubscription sub)
    {
        sub.Sequence = _nextSequence++;
        ListFor(sub).Add(sub);
        Count++;
    }

    public void Remove(WatchSubscription sub)
    {
        if (ListFor(sub).Remove(sub)) Count--;
    }

    /// <summary>Whether a watch on <paramref name="r"/> is open (other than a pod watch pinned to a node).</summary>
    public bool Any(ServedResource r) => _byResource.TryGetValue(r, out var list) && list.Count > 0;

    /// <summary>The watches that want <paramref name="change"/>, in registration order. The list is reused by the next call.</summary>
    /// <param name="node">For a pod change, the node of its new version (<see cref="NodeOf"/>).</param>
    /// <param name="previousNode">For a pod that moved, the node of its previous version; null otherwise.</param>
    public IReadOnlyList<WatchSubscription> Matching(StoreChange change, string? node, string? previousNode)
    {
        _scratch.Clear();
        var sources = 0;
        if (_byResource.TryGetValue(change.Resource, out var general) && general.Count > 0)
        {
            sources++;
            foreach (var w in general) if (w.Wants(change)) _scratch.Add(w);
        }
        if (change.Resource == ServedResource.Pods && _podsByNode.Count > 0)
        {
            sources += AddFromNode(node, change);
            if (previousNode != node) sources += AddFromNode(previousNode, change);
        }
        if (sources > 1) _scratch.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return _scratch;
    }

    private int AddFromNode(string? node, StoreChange change)
    {
        if (node is null || !_podsByNode.TryGetValue(node, out var watchers) || watchers.Count == 0) return 0;
        foreach (var w in watchers) if (w.WantsFromNode(change)) _scratch.Add(w);
        return 1;
    }

    private List<WatchSubscription> ListFor(WatchSubscription sub)
    {
        if (sub.NodeKey is { } node)
        {
            if (!_podsByNode.TryGetValue(node, out var onNode)) _podsByNode[node] = onNode = [];
            return onNode;
        }
        if (!_byResource.TryGetValue(sub.Resource, out var list)) _byResource[sub.Resource] = list = [];
        return list;
    }

    /// <summary>The node a pod watch is pinned to by an equality term on spec.nodeName ("" = unscheduled pods).</summary>
    public static string? NodeKeyOf(ServedResource r, FieldSelectorExpr fields) =>
        r == ServedResource.Pods ? fields.EqualityValue("spec.nodeName") : null;

    /// <summary>The node a pod version is filed under ("" = unscheduled), as spec.nodeName field selectors read it.</summary>
    public static string NodeOf(JsonObject pod) => pod.Spec().S("nodeName") ?? "";
}
