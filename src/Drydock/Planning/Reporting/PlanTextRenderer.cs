using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;

namespace Drydock.Planning.Reporting;

/// <summary>How a line should look on a terminal; the CLI maps styles to colours (blockers red).</summary>
public enum LineStyle { Normal, Heading, Pass, Warn, Fail, Command }

public sealed record StyledLine(string Text, LineStyle Style = LineStyle.Normal);

/// <summary>
/// `drydock plan` as text: kubeadm's plan tables (same headings and columns), then what kubeadm does not show:
/// the ordered node plan, the preflight table and the command to run next.
/// </summary>
public static class PlanTextRenderer
{
    public const string ManualHeading = "Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':";

    public static IReadOnlyList<StyledLine> Render(PlanReport report, bool verbose = false)
    {
        var lines = new List<StyledLine>();
        void Add(string text, LineStyle style = LineStyle.Normal) => lines.Add(new StyledLine(text, style));
        var plan = report.Plan;

        Add($"[upgrade/versions] Cluster version: {report.ClusterVersion}");
        if (report.KubeadmConfigVersion is { } kc) Add($"[upgrade/versions] kubeadm-config kubernetesVersion: {kc}");
        if (report.Candidates is { } c)
        {
            Add($"[upgrade/versions] Versions from {c.Source}");
            Add($"[upgrade/versions] Latest version in the v{report.ClusterVersion.MinorString} series: {c.LatestPatch?.ToString() ?? "none newer"}");
            Add($"[upgrade/versions] Latest version in the v{report.ClusterVersion.Major}.{report.ClusterVersion.Minor + 1} series: {c.NextMinor?.ToString() ?? "none found"}");
        }
        foreach (var note in report.Notes) Add($"[upgrade/versions] WARNING: {note}", LineStyle.Warn);
        if (plan.UpToDate)
        {
            Add("");
            Add("Awesome, you're up-to-date! Enjoy!", LineStyle.Pass);
            return lines;
        }
        Add($"[upgrade/versions] Target version: {plan.Target}" +
            (plan.Hops.Count > 1 ? $" ({plan.Hops.Count} hops, one minor at a time: {string.Join(" → ", plan.Hops.Select(h => h.From.ToString()).Append(plan.Target.ToString()))})" : ""));

        for (var h = 0; h < plan.Hops.Count; h++)
        {
            var hop = plan.Hops[h];
            Add("");
            if (plan.Hops.Count > 1) { Add($"Hop {h + 1} of {plan.Hops.Count}: {hop.From} → {hop.To}", LineStyle.Heading); Add(""); }
            Add(ManualHeading);
            var kubeletRows = new List<string[]> { new[] { "COMPONENT", "CURRENT", "TARGET" } };
            for (var i = 0; i < hop.Components.Kubelets.Count; i++)
            {
                var k = hop.Components.Kubelets[i];
                kubeletRows.Add([i == 0 ? "kubelet" : "", $"{k.Count} x {k.Version}", hop.Components.KubeletTarget.ToString()]);
            }
            foreach (var l in TextTable.Format(kubeletRows)) Add(l);
            Add("");
            Add($"Upgrade to {hop.To}:");
            Add("");
            var perNode = hop.Components.ControlPlane.Any(r => r.Node is not null);
            var rows = new List<string[]> { perNode ? ["COMPONENT", "NODE", "CURRENT", "TARGET"] : ["COMPONENT", "CURRENT", "TARGET"] };
            foreach (var r in hop.Components.ControlPlane)
                rows.Add(perNode ? [r.Component, r.Node ?? "", r.Current, r.Target] : [r.Component, r.Current, r.Target]);
            foreach (var l in TextTable.Format(rows)) Add(l);
            Add("");
            Add($"Node plan (control planes one at a time, then workers in batches of {plan.BatchSize}" +
                (plan.MaxUnavailable.EndsWith('%') ? $" = {plan.MaxUnavailable} of workers" : "") + $", {plan.BatchStrategy}):");
            var stepRows = new List<string[]> { new[] { "STEP", "NODES", "DRAIN", "ACTION" } };
            foreach (var s in hop.Steps)
                stepRows.Add([s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(",", s.Nodes), s.Drain ? "yes" : "no", s.Description]);
            foreach (var l in TextTable.Format(stepRows)) Add(l);
        }

        Add("");
        Add("Preflight checks:", LineStyle.Heading);
        var checkRows = new List<(string[] Cells, LineStyle Style)> { (["CHECK", "RESULT", "DETAILS"], LineStyle.Normal) };
        foreach (var p in report.Preflight)
        {
            var style = p.Status switch { PreflightStatus.Fail => LineStyle.Fail, PreflightStatus.Warn => LineStyle.Warn, _ => LineStyle.Pass };
            checkRows.Add(([p.Check, p.Status.ToString().ToUpperInvariant(), p.Summary], style));
            if (p.Status != PreflightStatus.Pass || verbose)
                foreach (var e in p.Evidence) checkRows.Add((["", "", e.StartsWith("  ", StringComparison.Ordinal) ? "    " + e.TrimStart() : "- " + e], style == LineStyle.Pass ? LineStyle.Normal : style));
            if (p.Remedy is not null && p.Status != PreflightStatus.Pass) checkRows.Add((["", "", "remedy: " + p.Remedy], LineStyle.Normal));
        }
        var formatted = TextTable.Format(checkRows.Select(r => r.Cells).ToList());
        for (var i = 0; i < formatted.Count; i++) Add(formatted[i], checkRows[i].Style);

        Add("");
        var failed = report.Preflight.Where(p => p.Status == PreflightStatus.Fail).Select(p => p.Check).ToList();
        if (failed.Count > 0)
        {
            Add($"Blocked: {failed.Count} preflight check(s) failed ({string.Join(", ", failed)}). Fix them, then run:", LineStyle.Fail);
        }
        else
        {
            Add("You can now apply the upgrade by executing the following command:");
        }
        Add("");
        Add("\t" + report.NextCommand, LineStyle.Command);
        return lines;
    }
}
