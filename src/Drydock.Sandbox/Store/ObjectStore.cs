using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>
/// The sandbox's etcd: API objects as <see cref="JsonObject"/> (every field of a loaded snapshot survives), keyed by
/// resource and "namespace/name", with one cluster-wide resourceVersion counter. Stored objects are never mutated
/// after commit — writers pass a fresh object — so readers and watch events may share them without copying.
/// All methods lock <see cref="Gate"/> (re-entrant), which controllers also hold while they reconcile.
/// </summary>
internal sealed partial class ObjectStore
{
    // By reference: every Get, write and list looks its table up, and a resource is one of ServedResource.All's
    // instances (a key string hashed on every call cost more than the lookup it led to).
    private readonly Dictionary<ServedResource, Table> _tables = ServedResource.All.ToDictionary<ServedResource, ServedResource, Table>(r => r, r => new Table(r), ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (ServedResource Resource, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedKeyIndex> _podsByNode = new(StringComparer.Ordinal);
    // By table, not resource key: answering OwnedBy then needs no table lookup per owned object.
    private readonly Dictionary<string, HashSet<(Table Table, string Key)>> _byOwnerUid = new(StringComparer.Ordinal);
    private readonly SortedKeyIndex _unscheduledPods = new();
    private readonly TimeProvider _time;
    private readonly Random _random;
    private long _resourceVersion;

    public ObjectStore(TimeProvider time, int seed = 1, int watchLogCapacity = 50_000)
    {
        _time = time;
        _random = new Random(seed);
        WatchLogCapacity = watchLogCapacity;
        _watchLog = new StoreChange[watchLogCapacity];
        _watchLogNodes = new (PositionQueue?, PositionQueue?)[watchLogCapacity];
    }

    public object Gate { get; } = new();

    public long ResourceVersion { get { lock (Gate) return _resourceVersion; } }

    /// <summary>Raised under <see cref="Gate"/> after every commit; handlers must only record what to do (no store writes).</summary>
    public event Action<StoreChange>? Changed;

    public DateTimeOffset Now => _time.GetUtcNow();

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public JsonObject? Get(ServedResource r, string? ns, string name)
    {
        lock (Gate) return Find(_tables[r], r.Kind.Namespaced ? ns : null, name, out _);
    }

    /// <summary>The stored object under <see cref="KeyOf"/>(<paramref name="ns"/>, <paramref name="name"/>) and that
    /// key as stored, without building the key: every read and write looked objects up by a new "namespace/name"
    /// string, millions of them in a rehearsal.</summary>
    private static JsonObject? Find(Table table, string? ns, string name, out string key)
    {
        if (string.IsNullOrEmpty(ns))
        {
            key = name;
            return table.Items.GetValueOrDefault(name);
        }
        var length = ns.Length + 1 + name.Length;
        Span<char> buffer = length <= 512 ? stackalloc char[length] : new char[length];
        ns.CopyTo(buffer);
        buffer[ns.Length] = '/';
        name.CopyTo(buffer[(ns.Length + 1)..]);
        if (table.ByKeySpan.TryGetValue(buffer, out var stored, out var found)) { key = stored; return found; }
        key = "";
        return null;
    }

    public JsonObject GetOrThrow(ServedResource r, string? ns, string name) => Get(r, ns, name) ?? throw ApiErrors.NotFound(r, name);

    public (ServedResource Resource, JsonObject Object)? GetByUid(string uid)
    {
        lock (Gate)
        {
            if (!_byUid.TryGetValue(uid, out var at)) return null;
            return (at.Resource, _tables[at.Resource].Items[at.Key]);
        }
    }

    public int Count(ServedResource r) { lock (Gate) return _tables[r].Items.Count; }

    /// <summary>All objects of a resource (optionally one namespace), in key order.</summary>
    public List<JsonObject> All(ServedResource r, string? ns = null)
    {
        lock (Gate)
        {
            var t = _tables[r];
            var keys = string.IsNullOrEmpty(ns) || !r.Kind.Namespaced ? t.Keys.Range(null, null) : t.Keys.Range(ns + "/", NamespaceEnd(ns));
            return keys.Select(k => t.Items[k]).ToList();
        }
    }

    public List<JsonObject> PodsOnNode(string node)
    {
        lock (Gate)
        {
            if (!_podsByNode.TryGetValue(node, out var keys)) return [];
            var t = _tables[ServedResource.Pods];
            return keys.Range(null, null).Select(k => t.Items[k]).ToList();
        }
    }

    /// <summary>Whether any pod has no node (pending ones, and finished or terminating ones the scheduler skips).</summary>
    public bool HasUnscheduledPods { get { lock (Gate) return _unscheduledPods.Count > 0; } }

    public List<JsonObject> UnscheduledPods()
    {
        lock (Gate)
        {
            var t = _tables[ServedResource.Pods];
            return _unscheduledPods.Range(null, null).Select(k => t.Items[k]).ToList();
        }
    }

    /// <summary>Objects whose ownerReferences name this uid (any resource).</summary>
    public List<(ServedResource Resource, JsonObject Object)> OwnedBy(string ownerUid)
    {
        lock (Gate)
        {
            if (!_byOwnerUid.TryGetValue(ownerUid, out var set)) return [];
            var owned = new List<(ServedResource, JsonObject)>(set.Count);
            foreach (var (table, key) in set) owned.Add((table.Resource, table.Items[key]));
            return owned;
        }
    }

    /// <summary>The first key past every "namespace/name" key of <paramref name="ns"/> ('0' follows '/').</summary>
    private static string NamespaceEnd(string ns) => ns + "0";

    private sealed class Table
    {
        public Table(ServedResource resource)
        {
            Resource = resource;
            ByKeySpan = Items.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ServedResource Resource { get; }
        public Dictionary<string, JsonObject> Items { get; } = new(StringComparer.Ordinal);
        /// <summary><see cref="Items"/> looked up by a key spelled in a span (see <see cref="Find"/>).</summary>
        public Dictionary<string, JsonObject>.AlternateLookup<ReadOnlySpan<char>> ByKeySpan { get; }
        public SortedKeyIndex Keys { get; } = new();
    }
}
