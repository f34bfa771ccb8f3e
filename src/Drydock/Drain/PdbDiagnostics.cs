using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>Pure: which budgets cover the pods to evict, and whether they will let the drain finish.</summary>
public static class PdbDiagnostics
{
    public static IReadOnlyList<PdbDiagnosis> Diagnose(IReadOnlyList<Pod> toEvict, NodeDrainSnapshot snapshot)
    {
        var result = new List<PdbDiagnosis>();
        foreach (var pdb in snapshot.Pdbs.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var covered = toEvict.Where(p => Covers(pdb, p)).ToList();
            if (covered.Count == 0) continue;
            result.Add(Diagnose(pdb, covered, snapshot));
        }
        return result;
    }

    public static bool Covers(PodDisruptionBudget pdb, Pod pod) =>
        pdb.Metadata.Namespace == pod.Metadata.Namespace && LabelSelectorMatcher.Matches(pdb.Spec?.Selector, pod.Metadata.Labels);

    /// <summary>
    /// The name of the budget an eviction refusal blames, or null when it names none. The API server
    /// (pkg/registry/core/pod/storage/eviction.go) answers 429 "Cannot evict pod as it would violate the pod's
    /// disruption budget." with a cause of reason "DisruptionBudget" whose message starts "The disruption budget NAME "
    /// (needs N healthy pods and has M currently / is still being processed by the server / does not allow evicting
    /// pods currently …); a 403 about a budget names it in details.name. The budget lives in the pod's namespace.
    /// </summary>
    public static string? RefusingBudget(Status refusal)
    {
        foreach (var cause in refusal.Details?.Causes ?? [])
            if (cause.Reason == DisruptionBudgetCause && NameAfterPrefix(cause.Message) is { } fromCause) return fromCause;
        if (refusal.Details is { Kind: "poddisruptionbudget" or "poddisruptionbudgets" or "PodDisruptionBudget", Name: { } name } && IsBudgetName(name))
            return name;
        return NameAfterPrefix(refusal.Message);
    }

    private const string DisruptionBudgetCause = "DisruptionBudget";
    private const string BudgetNamePrefix = "The disruption budget ";

    private static string? NameAfterPrefix(string? message)
    {
        var at = message?.IndexOf(BudgetNamePrefix, StringComparison.Ordinal) ?? -1;
        if (at < 0) return null;
        var rest = message!.AsSpan(at + BudgetNamePrefix.Length);
        var end = rest.IndexOf(' ');
        var name = (end < 0 ? rest : rest[..end]).ToString();
        return IsBudgetName(name) ? name : null;
    }

    /// <summary>A DNS subdomain (what a PDB name must be): anything else is not a name we could GET.</summary>
    private static bool IsBudgetName(string name) =>
        name.Length is > 0 and <= 253 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    /// <summary>The budget covering a pod, if exactly one does (the eviction API refuses pods with several).</summary>
    public static PodDisruptionBudget? For(Pod pod, IEnumerable<PodDisruptionBudget> pdbs) =>
        pdbs.FirstOrDefault(p => Covers(p, pod));

    /// <param name="judgeByPlacement">Also conclude "cannot finish" from where the healthy pods are. Only sound on a
    /// consistent snapshot (planning); while evictions are in flight the pod copies lag the budget's status.</param>
    public static PdbDiagnosis Diagnose(PodDisruptionBudget pdb, IReadOnlyList<Pod> coveredOnNode, NodeDrainSnapshot snapshot, bool judgeByPlacement = true)
    {
        var st = pdb.Status ?? new PodDisruptionBudgetStatus();
        var spec = pdb.Spec ?? new PodDisruptionBudgetSpec();
        var expected = st.ExpectedPods;
        var healthyHere = coveredOnNode.Count(PodFacts.IsHealthy);
        var alwaysAllow = spec.UnhealthyPodEvictionPolicy == "AlwaysAllow";
        var needed = alwaysAllow ? healthyHere : coveredOnNode.Count;
        var healthyElsewhere = snapshot.ClusterPods is { } all
            ? all.Count(p => Covers(pdb, p) && p.Spec?.NodeName != snapshot.NodeName && PodFacts.IsHealthy(p))
            : st.CurrentHealthy - healthyHere;

        string? why = null;
        if (spec.MinAvailable is { } min && expected > 0 && min.Resolve(expected, roundUp: true) >= expected)
            why = $"minAvailable {min} requires all {expected} pods to stay healthy, so no pod may ever be evicted";
        else if (spec.MaxUnavailable is { } max && max.Resolve(Math.Max(expected, 0), roundUp: true) == 0)
            why = $"maxUnavailable {max} allows no disruption at all";
        else if (judgeByPlacement && st.DisruptionsAllowed == 0 && healthyHere > 0 && healthyElsewhere <= 0 && st.CurrentHealthy <= healthyHere)
            why = $"every healthy pod of this budget is on node {snapshot.NodeName} and none may be evicted, so no replacement can come up elsewhere first";

        var outlook = why is not null ? PdbOutlook.CannotFinish
            : st.DisruptionsAllowed >= needed ? PdbOutlook.Allows
            : PdbOutlook.WillWait;
        var explanation = outlook switch
        {
            PdbOutlook.CannotFinish => $"the drain cannot finish: {why}; relax the budget, scale the workload up, or use --disable-eviction",
            PdbOutlook.WillWait => $"{needed} pod(s) to evict but {st.DisruptionsAllowed} disruption(s) allowed now: evictions will be retried as replacements become healthy",
            _ => $"allows the {needed} eviction(s) needed",
        };
        return new PdbDiagnosis
        {
            Namespace = pdb.Metadata.Namespace ?? "",
            Name = pdb.Metadata.Name ?? "",
            MinAvailable = spec.MinAvailable?.ToString(),
            MaxUnavailable = spec.MaxUnavailable?.ToString(),
            CurrentHealthy = st.CurrentHealthy,
            DesiredHealthy = st.DesiredHealthy,
            ExpectedPods = expected,
            DisruptionsAllowed = st.DisruptionsAllowed,
            PodsOnNode = coveredOnNode.Select(p => PodRef.Of(p).ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList(),
            HealthyPodsOnNode = healthyHere,
            Outlook = outlook,
            Explanation = explanation,
        };
    }
}
