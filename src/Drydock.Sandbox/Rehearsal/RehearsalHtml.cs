using System.Globalization;
using System.Net;
using System.Text;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// `-o html`: one self-contained page (inline CSS and SVG, no external assets) — a Gantt chart of nodes × time with
/// a colour per step, PDB waits hatched in red, batch boundaries, and the findings — for a person to look at
/// instead of reading logs.
/// </summary>
public static class RehearsalHtml
{
    public const int MaxRows = 400;
    private const int RowHeight = 18, LabelWidth = 190, ChartWidth = 1100, Top = 30;

    private static readonly (string Id, string Label, string Colour)[] Steps =
    [
        ("switch-repository", "switch repository", "#b0bec5"),
        ("install-kubeadm", "install kubeadm", "#90caf9"),
        ("kubeadm-version", "kubeadm version", "#64b5f6"),
        ("kubeadm-upgrade-plan", "kubeadm upgrade plan", "#4fc3f7"),
        ("kubeadm-upgrade-apply", "kubeadm upgrade apply", "#1565c0"),
        ("kubeadm-upgrade-node", "kubeadm upgrade node", "#1e88e5"),
        ("control-plane-health", "control-plane health", "#7e57c2"),
        ("cordon", "cordon", "#ffcc80"),
        ("drain", "drain", "#ffa726"),
        ("install-kubelet-kubectl", "install kubelet + kubectl", "#81c784"),
        ("restart-kubelet", "restart kubelet", "#43a047"),
        ("wait-ready", "wait Ready", "#2e7d32"),
        ("uncordon", "uncordon", "#26a69a"),
    ];

    public static string Render(RehearsalReport r)
    {
        var sb = new StringBuilder();
        var title = $"Rehearsal: {r.FromVersion} → {r.ToVersion}";
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#212121}")
          .Append("h1{font-size:22px;margin:0 0 4px}.sub{color:#616161;margin-bottom:16px}")
          .Append(".cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}.card{border:1px solid #e0e0e0;border-radius:6px;padding:8px 12px;min-width:150px}")
          .Append(".card b{display:block;font-size:20px}.bad{color:#c62828}.ok{color:#2e7d32}")
          .Append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}")
          .Append(".legend span{display:inline-block;margin:0 12px 4px 0}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px}")
          .Append("svg text{font:11px system-ui,sans-serif}")
          .Append("</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1><div class=\"sub\">").Append(E(r.Source)).Append(" · strategy ").Append(E(r.Strategy))
          .Append(" · max-unavailable ").Append(r.MaxUnavailable).Append(" · profile ").Append(E(r.Profile)).Append("</div>");
        Cards(sb, r);
        if (r.WouldNotFinish is { } why) sb.Append("<p class=\"bad\"><b>").Append(E(why)).Append("</b></p>");
        Legend(sb);
        Gantt(sb, r);
        Findings(sb, r);
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void Cards(StringBuilder sb, RehearsalReport r)
    {
        sb.Append("<div class=\"cards\">");
        Card(sb, r.Finished ? "Predicted duration" : "Stopped after", RehearsalEngine.Fmt(r.Duration), r.Finished ? "" : "bad");
        if (r.DurationLow is { } lo && r.DurationHigh is { } hi) Card(sb, "Range (low–high profile)", $"{RehearsalEngine.Fmt(lo)} – {RehearsalEngine.Fmt(hi)}", "");
        Card(sb, "Batches", r.Batches.Count.ToString(CultureInfo.InvariantCulture), "");
        Card(sb, "PDB waits", r.PdbWaits.Count.ToString(CultureInfo.InvariantCulture), r.PdbWaits.Any(w => w.End is null) ? "bad" : "");
        Card(sb, "Unschedulable pods", r.Unschedulable.Count.ToString(CultureInfo.InvariantCulture), r.Unschedulable.Count > 0 ? "bad" : "ok");
        Card(sb, "Skew", r.SkewViolations.Count == 0 ? "within policy" : $"{r.SkewViolations.Count} violations", r.SkewViolations.Count == 0 ? "ok" : "bad");
        if (r.Quorum.Members > 0) Card(sb, "etcd members up (min)", $"{r.Quorum.MinUp}/{r.Quorum.Members}", r.Quorum.QuorumAlwaysKept ? "ok" : "bad");
        Card(sb, "PDB violations", r.Stats.PdbViolations.ToString(CultureInfo.InvariantCulture), r.Stats.PdbViolations == 0 ? "ok" : "bad");
        sb.Append("</div>");
    }

    private static void Card(StringBuilder sb, string label, string value, string cls) =>
        sb.Append("<div class=\"card\">").Append(E(label)).Append("<b class=\"").Append(cls).Append("\">").Append(E(value)).Append("</b></div>");

    private static void Legend(StringBuilder sb)
    {
        sb.Append("<div class=\"legend\">");
        foreach (var (_, label, colour) in Steps) sb.Append("<span><i style=\"background:").Append(colour).Append("\"></i>").Append(E(label)).Append("</span>");
        sb.Append("<span><i style=\"background:repeating-linear-gradient(45deg,#e53935 0 3px,#fff 3px 6px);border:1px solid #e53935\"></i>waiting on a PDB</span>");
        sb.Append("<span><i style=\"background:#e53935\"></i>failed</span></div>");
    }

    private static void Gantt(StringBuilder sb, RehearsalReport r)
    {
        var rows = r.Nodes.Take(MaxRows).ToList();
        var total = Math.Max(1, r.Duration.TotalSeconds);
        double X(TimeSpan t) => LabelWidth + Math.Min(1, t.TotalSeconds / total) * ChartWidth;
        var height = Top + rows.Count * RowHeight + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{LabelWidth + ChartWidth + 20}\" height=\"{height}\" role=\"img\" aria-label=\"timeline\">");
        svg.Append("<defs><pattern id=\"pdb\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#e53935\"/></pattern></defs>");
        // Time axis: about ten ticks.
        var step = NiceStep(total / 10);
        for (var t = 0.0; t <= total + 0.001; t += step)
        {
            var x = X(TimeSpan.FromSeconds(t));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{Top - 6}\" x2=\"{x:0.#}\" y2=\"{height - 10}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{Top - 10}\" text-anchor=\"middle\" fill=\"#757575\">{E(RehearsalEngine.Fmt(TimeSpan.FromSeconds(t)))}</text>");
        }
        foreach (var b in r.Batches)
        {
            var x = X(b.Start);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"{Top - 4}\" x2=\"{x:0.#}\" y2=\"{height - 10}\" stroke=\"#9e9e9e\" stroke-dasharray=\"3,3\"><title>batch {b.Index + 1}: {E(string.Join(", ", b.Nodes))} — {E(b.Reason)}</title></line>");
        }
        var colours = Steps.ToDictionary(s => s.Id, s => s.Colour, StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var n = rows[i];
            var y = Top + i * RowHeight;
            if (i % 2 == 1) svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"{y}\" width=\"{LabelWidth + ChartWidth}\" height=\"{RowHeight}\" fill=\"#fafafa\"/>");
            var label = r.Nodes.Select(x => x.Hop).Distinct().Count() > 1 ? $"{n.Name} (hop {n.Hop + 1})" : n.Name;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 13}\">{E(label)} <tspan fill=\"#9e9e9e\">{E(Short(n.Role))}</tspan></text>");
            foreach (var s in n.Steps)
            {
                var x1 = X(s.Start);
                var x2 = X(s.End ?? r.Duration);
                var fill = s.Outcome == "failed" ? "#e53935" : colours.GetValueOrDefault(s.StepId, "#bdbdbd");
                var w = Math.Max(1, x2 - x1);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x1:0.##}\" y=\"{y + 3}\" width=\"{w:0.##}\" height=\"{RowHeight - 6}\" fill=\"{fill}\"{(s.Outcome == "skipped" ? " opacity=\"0.35\"" : "")}>")
                   .Append("<title>").Append(E($"{n.Name}: {s.Step} {RehearsalEngine.Fmt(s.Start)}–{(s.End is { } e ? RehearsalEngine.Fmt(e) : "never ends")} ({s.Outcome}){(s.Message is null ? "" : ": " + s.Message)}")).Append("</title></rect>");
            }
            foreach (var wait in r.PdbWaits.Where(w => w.Node == n.Name && n.Start is { } ns && w.Start >= ns && (n.End is not { } ne || w.Start <= ne)))
            {
                var x1 = X(wait.Start);
                var x2 = X(wait.End ?? r.Duration);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x1:0.##}\" y=\"{y + 1}\" width=\"{Math.Max(2, x2 - x1):0.##}\" height=\"{RowHeight - 2}\" fill=\"url(#pdb)\" stroke=\"#e53935\">")
                   .Append("<title>").Append(E($"{wait.Pod} waits on PDB {wait.Pdb} ({wait.Budget}; {wait.CurrentHealthy} healthy, {wait.DesiredHealthy} desired, {wait.DisruptionsAllowed} allowed): {wait.WaitsFor}")).Append("</title></rect>");
            }
        }
        svg.Append("</svg>");
        sb.Append("<h2>Timeline</h2>");
        if (r.Nodes.Count > rows.Count) sb.Append("<p>Showing the first ").Append(rows.Count).Append(" of ").Append(r.Nodes.Count).Append(" node rows.</p>");
        sb.Append("<div style=\"overflow-x:auto\">").Append(svg).Append("</div>");
    }

    private static void Findings(StringBuilder sb, RehearsalReport r)
    {
        sb.Append("<h2>Findings</h2><ul>");
        foreach (var f in r.Findings) sb.Append("<li>").Append(E(f)).Append("</li>");
        sb.Append("</ul>");
        if (r.PdbWaits.Count > 0)
        {
            sb.Append("<h2>PDB waits</h2><table><tr><th>Node</th><th>Pod</th><th>PDB</th><th>Budget</th><th>Healthy / desired / allowed</th><th>From</th><th>To</th><th>Waits for</th></tr>");
            foreach (var w in r.PdbWaits)
                sb.Append("<tr><td>").Append(E(w.Node)).Append("</td><td>").Append(E(w.Pod)).Append("</td><td>").Append(E(w.Pdb)).Append("</td><td>").Append(E(w.Budget))
                  .Append("</td><td>").Append(w.CurrentHealthy).Append(" / ").Append(w.DesiredHealthy).Append(" / ").Append(w.DisruptionsAllowed)
                  .Append("</td><td>+").Append(E(RehearsalEngine.Fmt(w.Start))).Append("</td><td>").Append(w.End is { } e ? "+" + E(RehearsalEngine.Fmt(e)) : "<b class=\"bad\">never</b>")
                  .Append("</td><td>").Append(E(w.WaitsFor)).Append("</td></tr>");
            sb.Append("</table>");
        }
        if (r.Unschedulable.Count > 0)
        {
            sb.Append("<h2>Unschedulable pods</h2><table><tr><th>Pod</th><th>From</th><th>To</th><th>Why</th></tr>");
            foreach (var u in r.Unschedulable)
                sb.Append("<tr><td>").Append(E(u.Pod)).Append("</td><td>+").Append(E(RehearsalEngine.Fmt(u.Start))).Append("</td><td>")
                  .Append(u.End is { } e ? "+" + E(RehearsalEngine.Fmt(e)) : "the end").Append("</td><td>").Append(E(u.Reason)).Append("</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("<h2>Batches</h2><table><tr><th>#</th><th>Nodes</th><th>Start</th><th>End</th><th>Why</th></tr>");
        foreach (var b in r.Batches)
            sb.Append("<tr><td>").Append(b.Index + 1).Append("</td><td>").Append(E(string.Join(", ", b.Nodes))).Append("</td><td>+").Append(E(RehearsalEngine.Fmt(b.Start)))
              .Append("</td><td>").Append(b.End is { } e ? "+" + E(RehearsalEngine.Fmt(e)) : "—").Append("</td><td>").Append(E(b.Reason)).Append("</td></tr>");
        sb.Append("</table>");
    }

    private static string Short(string role) => role switch { "FirstControlPlane" => "first cp", "ControlPlane" => "cp", "Worker" => "worker", _ => role };

    private static double NiceStep(double raw)
    {
        double[] steps = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
        return steps.FirstOrDefault(s => s >= raw, 86400);
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
