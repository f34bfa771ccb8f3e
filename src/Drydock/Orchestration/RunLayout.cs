using System.Runtime.CompilerServices;

namespace Drydock.Orchestration;

/// <summary>
/// Where each (hop, node) of a plan sits in a <see cref="NodeProgressMap"/> — slots in plan order, so a shard always
/// holds the same nodes — and how many steps the whole run has. Computed once per plan: the executor reports
/// "done/total" with every event, and recounting procedures per event made a 5,000-node run O(nodes²).
/// </summary>
public sealed class RunLayout
{
    private static readonly ConditionalWeakTable<RolloutPlan, RunLayout> Cache = new();

    private readonly Dictionary<string, int> _slots;
    private readonly string[] _keys;

    private RunLayout(RolloutPlan plan, string[] keys, Dictionary<string, int> slots, int totalSteps)
    {
        Plan = plan;
        _keys = keys;
        _slots = slots;
        TotalSteps = totalSteps;
    }

    public RolloutPlan Plan { get; }

    /// <summary>Steps of every node of every hop (a control plane's two stages count once).</summary>
    public int TotalSteps { get; }

    public int SlotCount => _keys.Length;

    public int ShardCount => (_keys.Length + NodeProgressMap.ShardSize - 1) / NodeProgressMap.ShardSize;

    /// <summary>The layout of a plan; the same instance for the same plan object.</summary>
    public static RunLayout For(RolloutPlan plan) => Cache.GetValue(plan, Build);

    public bool TryGetSlot(string key, out int slot) => _slots.TryGetValue(key, out slot);

    public string KeyAt(int slot) => _keys[slot];

    /// <summary>
    /// A layout with one more slot, for progress recorded under a key the plan does not have (a hand-edited state):
    /// kept rather than dropped, it counts no steps towards <see cref="TotalSteps"/>.
    /// </summary>
    internal RunLayout WithExtraSlot(string key) =>
        new(Plan, [.. _keys, key], new Dictionary<string, int>(_slots) { [key] = _keys.Length }, TotalSteps);

    private static RunLayout Build(RolloutPlan plan)
    {
        var keys = new List<string>();
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        // A procedure depends only on plan, hop and role: count each once instead of once per node.
        var stepCounts = new Dictionary<(int Hop, NodeRole Role), int>();
        var total = 0;
        foreach (var (hop, _, node) in plan.AllNodes())
        {
            if (!stepCounts.TryGetValue((hop, node.Role), out var count))
                stepCounts[(hop, node.Role)] = count = NodeProcedures.For(plan, plan.Hops[hop], node.Role).Count;
            total += count;
            var key = RunState.Key(hop, node.Name);
            if (slots.TryAdd(key, keys.Count)) keys.Add(key);
        }
        return new RunLayout(plan, [.. keys], slots, total);
    }
}
