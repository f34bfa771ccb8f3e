namespace Drydock.Scheduling;

/// <summary>What draining a set of nodes together costs: time, PDB waits, blocks and homeless pods.</summary>
internal static class BatchEvaluator
{
    /// <summary>kubectl drain's retry after a 429 (DrainConstants.EvictionRetryDelay).</summary>
    internal static readonly TimeSpan EvictionRetry = TimeSpan.FromSeconds(5);

    internal sealed record Evaluation(TimeSpan Duration, IReadOnlyList<string> Waits, IReadOnlyList<string> Blocked, IReadOnlyList<string> Homeless);

    /// <param name="withCapacity">False skips the placement simulation (homeless pods): ordering and PDB checks do not need it.</param>
    public static Evaluation Evaluate(IReadOnlyList<string> nodes, Placement placement, IReadOnlyDictionary<string, int> budgets, NodeTimeModel time, bool withCapacity = true)
    {
        var pods = nodes.SelectMany(placement.PodsOn).ToList();
        var drain = pods.Count == 0 ? TimeSpan.Zero : pods.Max(p => p.GracePeriod);
        var waits = new List<string>();
        var blocked = new List<string>();
        foreach (var group in pods.Where(p => p.Healthy).SelectMany(p => p.Budgets.Select(b => (Budget: b, Pod: p))).GroupBy(x => x.Budget, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var allowed = budgets.GetValueOrDefault(group.Key, int.MaxValue);
            var count = group.Count();
            if (count <= allowed) continue;
            if (allowed <= 0) { blocked.Add(group.Key); continue; }
            // Evictions beyond the allowance wait until replacements are healthy: one round per allowance. The
            // controller replaces an evicted pod as soon as it starts terminating, so a round costs the replacement's
            // start plus the drain's eviction retry (5 s), not the grace period; the last round's pods still take theirs.
            var rounds = (count + allowed - 1) / allowed;
            var grace = group.Max(x => x.Pod.GracePeriod);
            var t = grace + (time.PodStart + EvictionRetry) * (rounds - 1);
            if (t > drain) drain = t;
            waits.Add(group.Key);
        }
        // The capacity simulation is the expensive part: skipped when the caller only ranks nodes.
        var homeless = !withCapacity
            ? (IReadOnlyList<string>)[]
            : placement.Evict(nodes.ToHashSet(StringComparer.Ordinal), commit: false).Homeless.Select(p => p.Key).ToList();
        return new Evaluation(time.FixedPerNode + drain, waits, blocked, homeless);
    }

    /// <summary>How much of its PDBs' allowance a node's healthy pods use (higher = harder to pair with others).</summary>
    public static double Pressure(string node, Placement placement, IReadOnlyDictionary<string, int> budgets) =>
        placement.PodsOn(node).Where(p => p.Healthy)
            .SelectMany(p => p.Budgets)
            .Sum(b => budgets.TryGetValue(b, out var a) ? 1.0 / Math.Max(a, 1) : 0);
}
