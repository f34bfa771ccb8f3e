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
    }

    /// <summary>Registration order among live watches (the order events are delivered in).</summary>
    public long Sequence { get; set; }

    /// <summary>The node this pod watch is pinned to by its field selector, if any.</summary>
    public string? NodeKey { get; }

    public ServedResource Resource { get; }
    public string? Namespace { get; }
    public LabelSelectorExpr Labels { get; }
    public FieldSelectorExpr Fields { get; }
    public Channel<StoreChange> Events { get; } = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });

    public bool Wants(StoreChange c) =>
        c.Resource == Resource
        && (string.IsNullOrEmpty(Namespace) || c.Object.Ns() == Namespace)
        && (Labels.IsEmpty || Labels.Matches(c.Object.Labels()) || (c.Previous is not null && Labels.Matches(c.Previous.Labels())))
        && (Fields.IsEmpty || Fields.Matches(c.Object) || (c.Previous is not null && Fields.Matches(c.Previous)));

    public void Dispose() { Events.Writer.TryComplete(); _onDispose(this); }
}

internal sealed partial class ObjectStore
{
    /// <summary>How many changes a watch can start behind the head before it gets 410 Gone (etcd compaction).</summary>
    public int WatchLogCapacity { get; }

    private readonly StoreChange[] _watchLog;
    private long _watchLogCount;
    private readonly WatcherIndex _watchers = new();

    private void AppendWatchLog(StoreChange c)
    {
        _watchLog[_watchLogCount % WatchLogCapacity] = c;
        _watchLogCount++;
        if (_watchers.Count == 0) return;
        foreach (var w in _watchers.Matching(c)) w.Events.Writer.TryWrite(c);
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
                for (var i = FirstLogIndexAfter(from, oldestIndex); i < _watchLogCount; i++)
                {
                    var c = _watchLog[i % WatchLogCapacity];
                    if (sub.Wants(c)) sub.Events.Writer.TryWrite(c);
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
