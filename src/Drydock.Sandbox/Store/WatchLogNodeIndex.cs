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

    /// <summary>Lists a newly logged pod change under its node and, if not null, the different node it left. Returns
    /// where it was listed, for <see cref="DropOldest"/> when the change leaves the log (no lookup by name then).</summary>
    public (PositionQueue Node, PositionQueue? PreviousNode) Add(long position, string node, string? previousNode)
    {
        var under = For(node);
        under.Append(position);
        if (previousNode is null) return (under, null);
        var left = For(previousNode);
        left.Append(position);
        return (under, left);
    }

    /// <summary>Forgets the oldest logged change, listed where <see cref="Add"/> said.</summary>
    public void DropOldest(PositionQueue node, PositionQueue? previousNode)
    {
        DropFirst(node);
        if (previousNode is not null) DropFirst(previousNode);
    }

    /// <summary>The log positions at or after <paramref name="first"/> that concern <paramref name="node"/>, in log order.</summary>
    public IEnumerable<long> From(string node, long first)
    {
        if (!_byNode.TryGetValue(node, out var positions)) yield break;
        for (var i = positions.FirstIndexAtOrAfter(first); i < positions.Count; i++) yield return positions[i];
    }

    private PositionQueue For(string node)
    {
        if (!_byNode.TryGetValue(node, out var positions)) _byNode[node] = positions = new PositionQueue(node);
        return positions;
    }

    private void DropFirst(PositionQueue positions)
    {
        positions.RemoveFirst();
        if (positions.Count == 0) _byNode.Remove(positions.Node); // deleted nodes do not keep a queue
    }
}
