namespace Drydock.Scheduling;

/// <summary>
/// PDB ids as dense integers, with each budget's allowance: the planner counts a pod's budgets millions of times,
/// and an array index is far cheaper than hashing the id string each time. A budget a pod names but the input does
/// not list gets an id too, with no limit (int.MaxValue), as the string lookups' default gave it.
/// </summary>
internal sealed class BudgetIndex
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, int> _allowed;
    private readonly List<string> _names = [];
    private readonly List<int> _allowance = [];

    public BudgetIndex(IReadOnlyDictionary<string, int> allowed) => _allowed = allowed;

    public int Count => _names.Count;

    public string Name(int id) => _names[id];

    /// <summary>Disruptions the budget allows (int.MaxValue when the input does not list it).</summary>
    public int Allowed(int id) => _allowance[id];

    public int Intern(string name)
    {
        if (_ids.TryGetValue(name, out var id)) return id;
        id = _names.Count;
        _ids[name] = id;
        _names.Add(name);
        _allowance.Add(_allowed.GetValueOrDefault(name, int.MaxValue));
        return id;
    }

    /// <summary>
    /// Per-budget counts for one <see cref="BatchEvaluator.Peek"/> at a time, reset in O(1) by a new stamp. Shared by
    /// every evaluator of this index: the planner is single-threaded and a peek does not outlive its call.
    /// </summary>
    public PeekCounts Peeked => _peeked ??= new PeekCounts();

    private PeekCounts? _peeked;

    internal sealed class PeekCounts
    {
        private int[] _stamp = [];
        private int[] _count = [];
        private TimeSpan[] _grace = [];
        private int _current;

        public void Begin(int budgets)
        {
            if (_stamp.Length < budgets)
            {
                Array.Resize(ref _stamp, budgets);
                Array.Resize(ref _count, budgets);
                Array.Resize(ref _grace, budgets);
            }
            if (++_current == int.MaxValue) { Array.Clear(_stamp); _current = 1; }
        }

        public bool TryGet(int budget, out (int Count, TimeSpan Grace) value)
        {
            if (_stamp[budget] != _current) { value = default; return false; }
            value = (_count[budget], _grace[budget]);
            return true;
        }

        public void Set(int budget, (int Count, TimeSpan Grace) value)
        {
            _stamp[budget] = _current;
            (_count[budget], _grace[budget]) = value;
        }
    }

    public int[] Intern(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return [];
        var ids = new int[names.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = Intern(names[i]);
        return ids;
    }
}

/// <summary>A pod with what the planner derives from it once: its budgets as ids and whether it can land on any node with room.</summary>
internal sealed class DensePod(BatchPod pod, int[] budgets)
{
    public BatchPod Pod { get; } = pod;
    public int[] Budgets { get; } = budgets;
    public Resources Requests { get; } = pod.Requests;
    public TimeSpan GracePeriod { get; } = pod.GracePeriod;
    public bool Healthy { get; } = pod.Healthy;
    /// <summary>No selector, affinity or toleration: fits wherever its requests fit (on an untainted node).</summary>
    public bool Plain { get; } = pod.NodeSelector is null && pod.RequiredNodeAffinity is null && pod.Tolerations is not { Count: > 0 };
    /// <summary>Place in the order evicted pods are placed (largest CPU, then memory, then key ordinal first).</summary>
    public int PlaceOrder { get; set; }
}

/// <summary>
/// The batching input as dense ids, built once per plan and shared (read-only) by every simulated schedule:
/// nodes by index, budgets by <see cref="BudgetIndex"/>, and each node's initial pods.
/// </summary>
internal sealed class DenseInput
{
    public DenseInput(BatchingInput input)
    {
        Input = input;
        Nodes = [.. input.Nodes];
        NodeIndex = new Dictionary<string, int>(Nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < Nodes.Length; i++) NodeIndex[Nodes[i].Name] = i;
        Budgets = new BudgetIndex(input.Budgets.ToDictionary(b => b.Id, b => b.AllowedDisruptions, StringComparer.Ordinal));
        PodsByNode = new List<DensePod>[Nodes.Length];
        for (var i = 0; i < Nodes.Length; i++) PodsByNode[i] = [];
        var all = new List<DensePod>(input.Pods.Count);
        foreach (var p in input.Pods)
        {
            var pod = new DensePod(p, Budgets.Intern(p.Budgets));
            all.Add(pod);
            if (NodeIndex.TryGetValue(p.Node, out var i)) PodsByNode[i].Add(pod); // a pod on a node we were not told about is ignored
        }
        all.Sort(static (a, b) =>
            a.Requests.MilliCpu != b.Requests.MilliCpu ? b.Requests.MilliCpu.CompareTo(a.Requests.MilliCpu)
            : a.Requests.MemoryBytes != b.Requests.MemoryBytes ? b.Requests.MemoryBytes.CompareTo(a.Requests.MemoryBytes)
            : string.CompareOrdinal(a.Pod.Key, b.Pod.Key));
        for (var r = 0; r < all.Count; r++) all[r].PlaceOrder = r;
        Pods = all;
        NameRank = new int[Nodes.Length];
        var byName = Enumerable.Range(0, Nodes.Length).Order(Comparer<int>.Create((a, b) => string.CompareOrdinal(Nodes[a].Name, Nodes[b].Name))).ToArray();
        for (var r = 0; r < byName.Length; r++) NameRank[byName[r]] = r;
    }

    public BatchingInput Input { get; }
    public BatchNode[] Nodes { get; }
    public Dictionary<string, int> NodeIndex { get; }
    public BudgetIndex Budgets { get; }
    /// <summary>Every pod, in <see cref="DensePod.PlaceOrder"/>.</summary>
    public IReadOnlyList<DensePod> Pods { get; }
    /// <summary>The pods on each node before anything is drained (input order).</summary>
    public List<DensePod>[] PodsByNode { get; }
    /// <summary>Each node's place in ordinal name order: the tie-break wherever the scheduler compares names.</summary>
    public int[] NameRank { get; }
}
