namespace Drydock.Sandbox.Store;

/// <summary>
/// The watch log's pod changes by node: each pod change still in the log is listed, by log position, under the
/// node of its new version and, when the pod moved, under the node it left ("" = unscheduled) — the changes a watch
/// with fieldSelector spec.nodeName=X can want. Every drain starts such a watch from the version of its earlier LIST,
/// and replaying it by walking the whole log behind that version cost as many selector checks as the cluster had
/// writes meanwhile; with this index it costs what happened on the node.
/// Positions leave in the order they came, when the ring buffer overwrites their change.
/// </summary>
internal sealed class WatchLogNodeIndex
{
    private readonly Dictionary<string, PositionQueue> _byNode = new(StringComparer.Ordinal);

    /// <summary>Lists a newly logged pod change under its node and, if different, the node it left.</summary>
    public void Add(long position, string node, string? previousNode)
    {
        For(node).Append(position);
        if (previousNode is not null && previousNode != node) For(previousNode).Append(position);
    }

    /// <summary>Forgets the oldest logged change, which <see cref="Add"/> listed under the same nodes.</summary>
    public void DropOldest(string node, string? previousNode)
    {
        DropFirst(node);
        if (previousNode is not null && previousNode != node) DropFirst(previousNode);
    }

    /// <summary>The log positions at or after <paramref name="first"/> that concern <paramref name="node"/>, in log order.</summary>
    public IEnumerable<long> From(string node, long first)
    {
        if (!_byNode.TryGetValue(node, out var positions)) yield break;
        for (var i = positions.FirstIndexAtOrAfter(first); i < positions.Count; i++) yield return positions[i];
    }

    private PositionQueue For(string node)
    {
        if (!_byNode.TryGetValue(node, out var positions)) _byNode[node] = positions = new PositionQueue();
        return positions;
    }

    private void DropFirst(string node)
    {
        var positions = _byNode[node];
        positions.RemoveFirst();
        if (positions.Count == 0) _byNode.Remove(node); // deleted nodes do not keep a queue
    }
}
