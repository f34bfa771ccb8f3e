using Drydock.Planning.Inventory;

namespace Drydock.Planning.Preflight;

/// <summary>
/// PDBs whose disruptionsAllowed can never become positive, so an eviction-based drain of a node holding their pods
/// waits forever (kubectl: "Cannot evict pod as it would violate the pod's disruption budget."). With the disruption
/// controller's arithmetic (percentages round up): desiredHealthy = minAvailable, or expected − maxUnavailable;
/// blocked when desiredHealthy ≥ expected pods. Also blocked: all healthy pods of a PDB on one node when no
/// controller recreates them elsewhere. Warned: all on one node with a controller (the drain waits for replacements),
/// and a budget at 0 right now because pods are unhealthy.
/// </summary>
public sealed class PdbDrainBlockersCheck : IPreflightCheck
{
    public string Name => "pdb-drain-blockers";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var blockers = new List<string>();
        var warnings = new List<string>();
        var checkedCount = 0;
        foreach (var pdb in context.Snapshot.Pdbs)
        {
            var pods = context.Index.PodsOf(pdb).Where(p => !p.IsFinished).ToList();
            if (pods.Count == 0) continue;
            checkedCount++;
            var expected = pods.Count;
            var healthy = pods.Where(p => p.Ready && p.Phase == "Running").ToList();
            var nodes = pods.Select(p => p.NodeName).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            var where = $"drain of {string.Join(", ", nodes.Take(5))}{(nodes.Count > 5 ? $" (+{nodes.Count - 5})" : "")} will block";
            if (pdb.MaxUnavailable is { } maxU)
            {
                var allowed = maxU.Resolve(expected, roundUp: true);
                if (allowed <= 0) { blockers.Add($"PDB {pdb.Key}: maxUnavailable {maxU} allows no disruption of its {expected} pods: {where}"); continue; }
            }
            else if (pdb.MinAvailable is { } minA)
            {
                var desired = minA.Resolve(expected, roundUp: true);
                if (desired >= expected) { blockers.Add($"PDB {pdb.Key}: minAvailable {minA} ≥ {expected} matching pods: evictions are never allowed; {where}"); continue; }
            }
            var healthyNodes = healthy.Select(p => p.NodeName).Distinct().ToList();
            if (healthy.Count > 1 && healthyNodes.Count == 1)
            {
                var unmanaged = healthy.Count(p => p.Controller is null);
                var line = $"PDB {pdb.Key}: all {healthy.Count} healthy pods run on {healthyNodes[0]}";
                if (unmanaged > 0 && unmanaged == healthy.Count) { blockers.Add($"{line} and no controller recreates them elsewhere: drain of {healthyNodes[0]} will block"); continue; }
                warnings.Add($"{line}: its drain evicts them one budget at a time and waits for replacements to become ready elsewhere");
            }
            if (pdb.DisruptionsAllowed == 0 && pdb.ExpectedPods > 0)
                warnings.Add($"PDB {pdb.Key}: disruptionsAllowed is 0 now (currentHealthy {pdb.CurrentHealthy}, desiredHealthy {pdb.DesiredHealthy}): drains wait until pods recover");
        }
        if (blockers.Count > 0)
            return ValueTask.FromResult(new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Fail, Summary = $"{blockers.Count} PDB(s) will block a drain",
                Evidence = EvidenceList.Cap([.. blockers, .. warnings]),
                Remedy = "scale the workload above the budget (or spread its pods across nodes), or relax minAvailable/maxUnavailable for the upgrade window",
            });
        if (warnings.Count > 0)
            return ValueTask.FromResult(new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Warn, Summary = $"{warnings.Count} PDB(s) will slow a drain",
                Evidence = EvidenceList.Cap(warnings), Remedy = "spread the pods over more nodes (topologySpreadConstraints) to keep drains quick",
            });
        return ValueTask.FromResult(PreflightResult.Pass(Name, $"{checkedCount} PDB(s) with pods; each allows evictions"));
    }
}
