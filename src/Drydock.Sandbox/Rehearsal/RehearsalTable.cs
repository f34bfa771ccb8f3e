using System.Globalization;
using Drydock.Planning.Reporting;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>The default (table) rendering of a rehearsal: summary, batches, PDB waits, unschedulable pods, skew, quorum.</summary>
public static class RehearsalTable
{
    public static IReadOnlyList<string> Lines(RehearsalReport r, bool verbose)
    {
        var f = RehearsalEngine.Fmt;
        var lines = new List<string>
        {
            $"Rehearsal of {r.Source}: {r.FromVersion} -> {r.ToVersion} (strategy {r.Strategy}, max-unavailable {r.MaxUnavailable}, profile {r.Profile})",
        };
        var range = r.DurationLow is { } lo && r.DurationHigh is { } hi ? $" (range {f(lo)} - {f(hi)} over the low/high profiles)" : "";
        lines.Add(r.Finished ? $"Predicted duration: {f(r.Duration)}{range}" : $"{r.WouldNotFinish} (stopped after {f(r.Duration)} of virtual time)");
        lines.Add("");

        var batchRows = new List<string[]> { verbose ? ["BATCH", "NODES", "START", "END", "WHY"] : ["BATCH", "NODES", "START", "END"] };
        foreach (var b in r.Batches)
        {
            var row = new[] { (b.Index + 1).ToString(CultureInfo.InvariantCulture), Nodes(b.Nodes), "+" + f(b.Start), b.End is { } e ? "+" + f(e) : "-" };
            batchRows.Add(verbose ? [.. row, b.Reason] : row);
        }
        lines.AddRange(TextTable.Format(batchRows));
        lines.Add("");

        if (r.PdbWaits.Count == 0) lines.Add("PDB waits: none");
        else
        {
            lines.Add("PDB waits:");
            var rows = new List<string[]> { new[] { "NODE", "POD", "PDB", "BUDGET", "HEALTHY/DESIRED/ALLOWED", "FROM", "TO", "WAITS FOR" } };
            foreach (var w in r.PdbWaits)
                rows.Add([w.Node, w.Pod, w.Pdb, w.Budget, $"{w.CurrentHealthy}/{w.DesiredHealthy}/{w.DisruptionsAllowed}", "+" + f(w.Start), w.End is { } e ? "+" + f(e) : "never", w.WaitsFor]);
            lines.AddRange(TextTable.Format(rows));
        }
        lines.Add("");
        if (r.Unschedulable.Count == 0) lines.Add("Unschedulable pods: none");
        else
        {
            lines.Add("Unschedulable pods:");
            var rows = new List<string[]> { new[] { "POD", "FROM", "TO", "WHY" } };
            foreach (var u in r.Unschedulable) rows.Add([u.Pod, "+" + f(u.Start), u.End is { } e ? "+" + f(e) : "the end", u.Reason]);
            lines.AddRange(TextTable.Format(rows));
        }
        lines.Add("");
        lines.Add(r.SkewViolations.Count == 0 ? "Skew: within policy at every moment" : "Skew violations:");
        foreach (var s in r.SkewViolations) lines.Add($"  +{f(s.At)} {s.Message}");
        if (r.Quorum.Members > 0)
            lines.Add(r.Quorum.QuorumAlwaysKept
                ? $"etcd quorum: kept throughout (at least {r.Quorum.MinUp}/{r.Quorum.Members} members up)"
                : $"etcd quorum: LOST ({r.Quorum.MinUp}/{r.Quorum.Members} members up at +{f(r.Quorum.MinUpAt ?? TimeSpan.Zero)})");
        lines.Add($"PDB violations: {r.Stats.PdbViolations}; evictions {r.Stats.EvictionsAccepted} accepted, {r.Stats.EvictionsRejected} refused");
        if (verbose) lines.Add($"Rehearsed in {r.Stats.WallTime.TotalSeconds:0.00}s of wall time ({r.Stats.VirtualJumps} clock jumps, {r.Stats.ApiRequests} API requests)");
        return lines;
    }

    private static string Nodes(IReadOnlyList<string> nodes) =>
        nodes.Count <= 6 ? string.Join(",", nodes) : $"{string.Join(",", nodes.Take(5))},... ({nodes.Count} nodes)";
}
