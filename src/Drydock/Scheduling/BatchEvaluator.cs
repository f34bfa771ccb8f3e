using System.Runtime.InteropServices;

namespace Drydock.Scheduling;

/// <summary>
/// What draining a set of nodes together costs: FixedPerNode plus the longest of (a) the longest grace period of
/// the pods evicted and (b) for each PDB whose healthy pods in the batch exceed its allowance, the rounds the drain
/// waits for replacements. Built node by node (<see cref="Add"/>), with <see cref="Peek"/> to price a node first;
/// <see cref="Reset"/> reuses one instance for many batches (its tables keep their capacity).
/// </summary>
internal sealed class BatchEvaluator(BudgetIndex budgets, NodeTimeModel time)
{
    /// <summary>kubectl drain's retry after a 429 (DrainConstants.EvictionRetryDelay).</summary>
    internal static readonly TimeSpan EvictionRetry = TimeSpan.FromSeconds(5);

    internal sealed record Evaluation(TimeSpan Duration, IReadOnlyList<string> Waits, IReadOnlyList<string> Blocked);

    private readonly Dictionary<int, (int Count, TimeSpan Grace)> _byBudget = [];
    private readonly TimeSpan _round = RoundCost(time);
    private TimeSpan _drain = TimeSpan.Zero;

    /// <summary>One round: a replacement's start plus the drain's eviction retry (5 s).</summary>
    public static TimeSpan RoundCost(NodeTimeModel time) => time.PodStart + EvictionRetry;

    public TimeSpan Duration => time.FixedPerNode + _drain;

    /// <summary>Forgets every node added: an empty batch again.</summary>
    public void Reset()
    {
        _byBudget.Clear();
        _drain = TimeSpan.Zero;
    }

    /// <summary>The drain of these pods, on their own or on top of the batch so far.</summary>
    public TimeSpan Peek(IReadOnlyList<DensePod> pods)
    {
        var peeked = budgets.Peeked;
        peeked.Begin(budgets.Count);
        var drain = _drain;
        for (var i = 0; i < pods.Count; i++)
        {
            var p = pods[i];
            if (p.GracePeriod > drain) drain = p.GracePeriod;
            if (!p.Healthy) continue;
            foreach (var b in p.Budgets)
            {
                var (count, grace) = peeked.TryGet(b, out var l) ? l : _byBudget.Count == 0 ? default : _byBudget.GetValueOrDefault(b);
                var next = (count + 1, p.GracePeriod > grace ? p.GracePeriod : grace);
                peeked.Set(b, next);
                var wait = Wait(b, next.Item1, next.Item2);
                if (wait > drain) drain = wait;
            }
        }
        return time.FixedPerNode + drain;
    }

    public void Add(IReadOnlyList<DensePod> pods)
    {
        var drain = _drain;
        for (var i = 0; i < pods.Count; i++)
        {
            var p = pods[i];
            if (p.GracePeriod > drain) drain = p.GracePeriod;
            if (!p.Healthy) continue;
            foreach (var b in p.Budgets)
            {
                ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_byBudget, b, out _);
                entry = (entry.Count + 1, p.GracePeriod > entry.Grace ? p.GracePeriod : entry.Grace);
                var wait = Wait(b, entry.Count, entry.Grace);
                if (wait > drain) drain = wait;
            }
        }
        _drain = drain;
    }

    public Evaluation Result()
    {
        var waits = new List<string>();
        var blocked = new List<string>();
        var over = new List<int>();
        foreach (var (budget, (count, _)) in _byBudget)
            if (count > budgets.Allowed(budget)) over.Add(budget);
        over.Sort((a, b) => string.CompareOrdinal(budgets.Name(a), budgets.Name(b)));
        foreach (var budget in over) (budgets.Allowed(budget) <= 0 ? blocked : waits).Add(budgets.Name(budget));
        return new Evaluation(Duration, waits, blocked);
    }

    /// <summary>The batch of these nodes' pods, with budgets by id (for benchmarks and one-off checks).</summary>
    public static Evaluation Evaluate(IEnumerable<IReadOnlyList<BatchPod>> podsByNode, IReadOnlyDictionary<string, int> budgets, NodeTimeModel time)
    {
        var index = new BudgetIndex(budgets);
        var e = new BatchEvaluator(index, time);
        foreach (var pods in podsByNode) e.Add([.. pods.Select(p => new DensePod(p, index.Intern(p.Budgets)))]);
        return e.Result();
    }

    /// <summary>
    /// Evictions beyond the allowance wait until replacements are healthy: one round per allowance. The controller
    /// replaces an evicted pod as soon as it starts terminating, so a round costs the replacement's start plus the
    /// drain's eviction retry, not the grace period; the last round's pods still take theirs. A budget with no
    /// allowance blocks (reported, not timed).
    /// </summary>
    private TimeSpan Wait(int budget, int count, TimeSpan grace)
    {
        var allowed = budgets.Allowed(budget);
        if (count <= allowed || allowed <= 0) return TimeSpan.Zero;
        var rounds = (count + allowed - 1) / allowed;
        return grace + _round * (rounds - 1);
    }
}
