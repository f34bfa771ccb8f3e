namespace Drydock.Scheduling;

/// <summary>
/// What draining a set of nodes together costs: FixedPerNode plus the longest of (a) the longest grace period of
/// the pods evicted and (b) for each PDB whose healthy pods in the batch exceed its allowance, the rounds the drain
/// waits for replacements. Built node by node (<see cref="Add"/>), with <see cref="Peek"/> to price a node first.
/// </summary>
internal sealed class BatchEvaluator(IReadOnlyDictionary<string, int> budgets, NodeTimeModel time)
{
    /// <summary>kubectl drain's retry after a 429 (DrainConstants.EvictionRetryDelay).</summary>
    internal static readonly TimeSpan EvictionRetry = TimeSpan.FromSeconds(5);

    internal sealed record Evaluation(TimeSpan Duration, IReadOnlyList<string> Waits, IReadOnlyList<string> Blocked);

    private readonly Dictionary<string, (int Count, TimeSpan Grace)> _byBudget = new(StringComparer.Ordinal);
    private TimeSpan _drain = TimeSpan.Zero;

    /// <summary>One round: a replacement's start plus the drain's eviction retry (5 s).</summary>
    public static TimeSpan RoundCost(NodeTimeModel time) => time.PodStart + EvictionRetry;

    public TimeSpan Duration => time.FixedPerNode + _drain;

    /// <summary>The drain of these pods, on their own or on top of the batch so far.</summary>
    public TimeSpan Peek(IReadOnlyList<BatchPod> pods) => time.FixedPerNode + DrainWith(pods, apply: false);

    public void Add(IReadOnlyList<BatchPod> pods) => _drain = DrainWith(pods, apply: true);

    public Evaluation Result()
    {
        var waits = new List<string>();
        var blocked = new List<string>();
        foreach (var (budget, (count, _)) in _byBudget.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var allowed = budgets.GetValueOrDefault(budget, int.MaxValue);
            if (count <= allowed) continue;
            (allowed <= 0 ? blocked : waits).Add(budget);
        }
        return new Evaluation(Duration, waits, blocked);
    }

    public static Evaluation Evaluate(IEnumerable<IReadOnlyList<BatchPod>> podsByNode, IReadOnlyDictionary<string, int> budgets, NodeTimeModel time)
    {
        var e = new BatchEvaluator(budgets, time);
        foreach (var pods in podsByNode) e.Add(pods);
        return e.Result();
    }

    private TimeSpan DrainWith(IReadOnlyList<BatchPod> pods, bool apply)
    {
        var drain = _drain;
        Dictionary<string, (int Count, TimeSpan Grace)>? local = apply ? null : [];
        foreach (var p in pods)
        {
            if (p.GracePeriod > drain) drain = p.GracePeriod;
            if (!p.Healthy) continue;
            foreach (var b in p.Budgets)
            {
                var (count, grace) = local is not null && local.TryGetValue(b, out var l) ? l : _byBudget.GetValueOrDefault(b);
                var next = (count + 1, p.GracePeriod > grace ? p.GracePeriod : grace);
                if (local is null) _byBudget[b] = next; else local[b] = next;
                var wait = Wait(b, next.Item1, next.Item2);
                if (wait > drain) drain = wait;
            }
        }
        return drain;
    }

    /// <summary>
    /// Evictions beyond the allowance wait until replacements are healthy: one round per allowance. The controller
    /// replaces an evicted pod as soon as it starts terminating, so a round costs the replacement's start plus the
    /// drain's eviction retry, not the grace period; the last round's pods still take theirs. A budget with no
    /// allowance blocks (reported, not timed).
    /// </summary>
    private TimeSpan Wait(string budget, int count, TimeSpan grace)
    {
        var allowed = budgets.GetValueOrDefault(budget, int.MaxValue);
        if (count <= allowed || allowed <= 0) return TimeSpan.Zero;
        var rounds = (count + allowed - 1) / allowed;
        return grace + RoundCost(time) * (rounds - 1);
    }
}
