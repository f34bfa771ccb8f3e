using Drydock.Kube.Models;
using Drydock.Planning.Inventory;
using Drydock.Planning.Scheduling;

namespace Drydock.Scheduling;

/// <summary>
/// Which pods each PDB selects, and how many disruptions it allows once every pod it expects is healthy — the
/// disruption controller's arithmetic (policy/v1: minAvailable / maxUnavailable as int or percent, rounded up)
/// applied to the expected pod count instead of to the last status, so a budget that is momentarily short
/// (a pod restarting when the snapshot was taken) is not planned as blocked forever, and one whose minAvailable
/// equals its replicas is (disruptionsAllowed can never become &gt; 0).
/// </summary>
public static class SteadyStateBudgets
{
    public sealed record Budget(PdbState Pdb, int ExpectedPods, int DesiredHealthy, int AllowedDisruptions, IReadOnlyList<PodState> Pods);

    public static IReadOnlyList<Budget> Compute(ClusterSnapshot snapshot)
    {
        // Index pods by (namespace, key, value) of the one label each PDB looks them up by (its selector's first
        // matchLabels pair), so 10,000 PDBs × 150,000 pods stays cheap; only the keys some PDB of the namespace
        // uses are indexed, not every label of every pod. By namespace only when a PDB has no matchLabels.
        var live = snapshot.Pods.Where(p => !p.IsFinished && !p.IsMirror).ToList();
        var lookupKeys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var anyWithoutMatchLabels = false;
        foreach (var pdb in snapshot.Pdbs)
        {
            if (pdb.Selector?.MatchLabels is not { Count: > 0 } ml) { anyWithoutMatchLabels = true; continue; }
            if (!lookupKeys.TryGetValue(pdb.Namespace, out var keys)) lookupKeys[pdb.Namespace] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(ml.First().Key);
        }
        var byNamespace = anyWithoutMatchLabels
            ? live.GroupBy(p => p.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal)
            : [];
        var byLabel = new Dictionary<(string, string, string), List<PodState>>();
        foreach (var p in live)
        {
            if (!lookupKeys.TryGetValue(p.Namespace, out var keys)) continue;
            foreach (var k in keys)
            {
                if (!p.Labels.TryGetValue(k, out var v)) continue;
                if (!byLabel.TryGetValue((p.Namespace, k, v), out var l)) byLabel[(p.Namespace, k, v)] = l = [];
                l.Add(p);
            }
        }
        var replicas = snapshot.Workloads.ToDictionary(w => (w.Kind, w.Namespace, w.Name), w => w.Replicas);

        var result = new List<Budget>(snapshot.Pdbs.Count);
        foreach (var pdb in snapshot.Pdbs)
        {
            IEnumerable<PodState> candidates = pdb.Selector?.MatchLabels is { Count: > 0 } ml
                ? byLabel.GetValueOrDefault((pdb.Namespace, ml.First().Key, ml.First().Value)) ?? []
                : byNamespace.GetValueOrDefault(pdb.Namespace) ?? [];
            var pods = candidates.Where(p => LabelSelectorMatcher.Matches(pdb.Selector, p.Labels)).ToList();
            var expected = Math.Max(Math.Max(pods.Count, ExpectedFromControllers(pods, replicas)), pdb.ExpectedPods);
            var desired = DesiredHealthy(pdb, expected);
            result.Add(new Budget(pdb, expected, desired, Math.Max(0, expected - desired), pods));
        }
        return result;
    }

    /// <summary>Sum of the scale of the controllers owning the selected pods (what the disruption controller calls expectedCount).</summary>
    private static int ExpectedFromControllers(IReadOnlyList<PodState> pods, IReadOnlyDictionary<(string, string, string), int> replicas)
    {
        var total = 0;
        foreach (var owner in pods.Select(p => p.Workload ?? p.Controller).OfType<OwnerRef>().Distinct())
        {
            var ns = pods.First(p => (p.Workload ?? p.Controller) == owner).Namespace;
            if (replicas.TryGetValue((owner.Kind, ns, owner.Name), out var r)) total += r;
            else return 0; // an owner we cannot see: fall back to the pods themselves
        }
        return total;
    }

    public static int DesiredHealthy(PdbState pdb, int expected)
    {
        if (pdb.MaxUnavailable is { } max) return Math.Max(0, expected - Scaled(max, expected));
        if (pdb.MinAvailable is { } min) return Scaled(min, expected);
        return expected; // neither set: nothing may be disrupted
    }

    /// <summary>intstr.GetScaledValueFromIntOrPercent with roundUp = true, as the disruption controller calls it.</summary>
    public static int Scaled(IntOrString value, int total)
    {
        if (value.IntValue is int i) return i;
        var text = value.StringValue?.TrimEnd('%') ?? "0";
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pct)
            ? (int)Math.Ceiling(pct * total / 100.0) : 0;
    }
}
