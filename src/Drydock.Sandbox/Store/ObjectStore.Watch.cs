using System.Threading.Channels;

namespace Drydock.Sandbox.Store;

/// <summary>A live watch: changes after its start version that match its filter, until disposed.</summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly Action<WatchSubscription> _onDispose;
    public WatchSubscription(ServedResource resource, string? ns, LabelSelectorExpr labels, FieldSelectorExpr fields, Action<WatchSubscription> onDispose)
    {
        Resource = resource; Namespace = ns; Labels = labels; Fields = fields; _onDispose = onDispose;
        NodeKey = WatcherIndex.NodeKeyOf(resource, fields);
        NodeDecides = NodeKey is not null && string.IsNullOrEmpty(ns) && labels.IsEmpty && fields.IsOnlyEquality("spec.nodeName");
    }

    /// <summary>Registration order among live watches (the order events are delivered in).</summary>
    public long Sequence { get; set; }

    /// <summary>The node this pod watch is pinned to by its field selector, if any.</summary>
    public string? NodeKey { get; }

    /// <summary>True when the node is the whole filter (spec.nodeName=X and nothing else, as every drain's watch):
    /// a pod change found under the node in an index is then wanted without looking at it again.</summary>
    public bool NodeDecides { get; }

    public ServedResource Resource { get; }
    public string? Namespace { get; }
    public LabelSelectorExpr Labels { get; }
    public FieldSelectorExpr Fields { get; }
    public Channel<StoreChange> Events { get; } = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });

    public bool Wants(StoreChange c) =>
        c.Resource == Resource
        && (string.IsNullOrEmpty(Namespace) || c.Last.Ns() == Namespace)
        && (Labels.IsEmpty || Labels.Matches(c.Last.LabelsObject()) || (c.Previous is not null && Labels.Matches(c.Previous.LabelsObject())))
        && (Fields.IsEmpty || Fields.Matches(c.Last) || (c.Previous is not null && Fields.Matches(c.Previous)));

    /// <summary><see cref="Wants"/> for a pod change an index filed under this watch's node (its new or old node).</summary>
    public bool WantsFromNode(StoreChange c) => NodeDecides || Wants(c);

    public void Dispose() { Events.Writer.TryComplete(); _onDispose(this); }
}

internal sealed partial class ObjectStore
{
    /// <summary>How many changes a watch can start behind the head before it gets 410 Gone (etcd compaction).</summary>
    public int WatchLogCapacity { get; }

    private readonly StoreChange[] _watchLog;
    // Where _logByNode listed each logged change (Node null: not a pod change; PreviousNode null: the pod did not move).
    private readonly (PositionQueue? Node, PositionQueue? PreviousNode)[] _watchLogNodes;
    private readonly WatchLogNodeIndex _logByNode = new();
    private long _watchLogCount;
    private readonly WatcherIndex _watchers = new();

    private void AppendWatchLog(StoreChange c)
    {
        var slot = (int)(_watchLogCount % WatchLogCapacity);
        if (_watchLogNodes[slot].Node is { } overwritten) _logByNode.DropOldest(overwritten, _watchLogNodes[slot].PreviousNode);
        string? node = null, previousNode = null;
        _watchLogNodes[slot] = default;
        if (c.Resource == ServedResource.Pods)
        {
            node = WatcherIndex.NodeOf(c.Last);
            previousNode = c.Previous is null ? null : WatcherIndex.NodeOf(c.Previous);
            if (previousNode == node) previousNode = null;
            _watchLogNodes[slot] = _logByNode.Add(_watchLogCount, node, previousNode);
        }
        _watchLog[slot] = c;
        _watchLogCount++;
        if (_watchers.Count == 0) return;
        foreach (var w in _watchers.Matching(c, node, previousNode)) w.Events.Writer.TryWrite(c);
    }

    /// <summary>Whether a watch on <paramref name="r"/> is open (other than a pod watch pinned to a node).</summary>
    public bool Watched(ServedResource r)
    {
        lock (Gate) return _watchers.Any(r);
    }

    /// <summary>Starts a watch. From version 0/empty: synthetic ADDED for current objects first. From an older version
    /// than the log holds: 410 Gone (reason Expired), as the apiserver answers after compaction.</summary>
    public WatchSubscription Watch(ServedResource r, string? ns, LabelSelectorExpr labels, FieldSelectorExpr fields, string? fromVersion)
    {
        lock (Gate)
        {
            var sub = new WatchSubscription(r, ns, labels, fields, s => { lock (Gate) _watchers.Remove(s); });
            if (string.IsNullOrEmpty(fromVersion) || fromVersion == "0")
            {
                foreach (var o in List(r, ns, labels, fields, 0, null).Items)
                    sub.Events.Writer.TryWrite(new StoreChange(_resourceVersion, "ADDED", r, o, null));
            }
            else
            {
                if (!long.TryParse(fromVersion, out var from)) throw ApiErrors.BadRequest($"invalid resource version \"{fromVersion}\"");
                var oldestIndex = Math.Max(0, _watchLogCount - WatchLogCapacity);
                var oldestVersion = oldestIndex < _watchLogCount ? _watchLog[oldestIndex % WatchLogCapacity].ResourceVersion : _resourceVersion + 1;
                if (from < oldestVersion - 1 && _watchLogCount > WatchLogCapacity)
                    throw ApiErrors.Gone($"too old resource version: {from} ({oldestVersion - 1})");
                var first = FirstLogIndexAfter(from, oldestIndex);
                if (sub.NodeKey is { } node)
                {
                    foreach (var i in _logByNode.From(node, first))
                    {
                        var c = _watchLog[i % WatchLogCapacity];
                        if (sub.WantsFromNode(c)) sub.Events.Writer.TryWrite(c);
                    }
                }
                else
                {
                    for (var i = first; i < _watchLogCount; i++)
                    {
                        var c = _watchLog[i % WatchLogCapacity];
                        if (sub.Wants(c)) sub.Events.Writer.TryWrite(c);
                    }
                }
            }
            _watchers.Add(sub);
            return sub;
        }
    }

    /// <summary>The first log position holding a change newer than <paramref name="version"/>: versions grow along the
    /// log, so a binary search replaces a scan of the whole log per watch.</summary>
    private long FirstLogIndexAfter(long version, long oldestIndex)
    {
        long lo = oldestIndex, hi = _watchLogCount;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (_watchLog[mid % WatchLogCapacity].ResourceVersion > version) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
