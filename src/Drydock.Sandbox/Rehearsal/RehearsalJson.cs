using System.Text;
using System.Text.Json;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>`-o json`: the report as one JSON document. Durations and offsets in seconds from the start. Only the
/// prediction, no wall time: the same input renders the same bytes every time (the table's -v line shows the wall time).</summary>
public static class RehearsalJson
{
    public static string Render(RehearsalReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Rehearsal");
            w.WriteString("source", r.Source);
            w.WriteString("from", r.FromVersion);
            w.WriteString("to", r.ToVersion);
            w.WriteString("strategy", r.Strategy);
            w.WriteNumber("maxUnavailable", r.MaxUnavailable);
            w.WriteString("profile", r.Profile);
            w.WriteBoolean("finished", r.Finished);
            if (r.WouldNotFinish is { } why) w.WriteString("wouldNotFinish", why); else w.WriteNull("wouldNotFinish");
            w.WriteNumber("durationSeconds", r.Duration.TotalSeconds);
            Nullable(w, "durationLowSeconds", r.DurationLow);
            Nullable(w, "durationHighSeconds", r.DurationHigh);
            w.WriteStartArray("batches");
            foreach (var b in r.Batches)
            {
                w.WriteStartObject();
                w.WriteNumber("hop", b.Hop);
                w.WriteNumber("index", b.Index);
                Strings(w, "nodes", b.Nodes);
                w.WriteNumber("startSeconds", b.Start.TotalSeconds);
                Nullable(w, "endSeconds", b.End);
                w.WriteString("reason", b.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("nodes");
            foreach (var n in r.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", n.Name);
                w.WriteString("role", n.Role);
                w.WriteNumber("hop", n.Hop);
                w.WriteNumber("batch", n.Batch);
                w.WriteStartArray("steps");
                foreach (var s in n.Steps)
                {
                    w.WriteStartObject();
                    w.WriteString("id", s.StepId);
                    w.WriteString("step", s.Step);
                    w.WriteNumber("startSeconds", s.Start.TotalSeconds);
                    Nullable(w, "endSeconds", s.End);
                    w.WriteString("outcome", s.Outcome);
                    if (s.Message is not null) w.WriteString("message", s.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("pdbWaits");
            foreach (var p in r.PdbWaits)
            {
                w.WriteStartObject();
                w.WriteString("node", p.Node);
                w.WriteString("pod", p.Pod);
                w.WriteString("pdb", p.Pdb);
                w.WriteString("budget", p.Budget);
                w.WriteNumber("expectedPods", p.ExpectedPods);
                w.WriteNumber("currentHealthy", p.CurrentHealthy);
                w.WriteNumber("desiredHealthy", p.DesiredHealthy);
                w.WriteNumber("disruptionsAllowed", p.DisruptionsAllowed);
                w.WriteString("waitsFor", p.WaitsFor);
                w.WriteNumber("startSeconds", p.Start.TotalSeconds);
                Nullable(w, "endSeconds", p.End);
                w.WriteNumber("retries", p.Retries);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("unschedulablePods");
            foreach (var u in r.Unschedulable)
            {
                w.WriteStartObject();
                w.WriteString("pod", u.Pod);
                w.WriteNumber("startSeconds", u.Start.TotalSeconds);
                Nullable(w, "endSeconds", u.End);
                w.WriteString("reason", u.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("skewViolations");
            foreach (var s in r.SkewViolations)
            {
                w.WriteStartObject();
                w.WriteNumber("atSeconds", s.At.TotalSeconds);
                w.WriteString("message", s.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("etcdQuorum");
            w.WriteNumber("members", r.Quorum.Members);
            w.WriteNumber("minUp", r.Quorum.MinUp);
            w.WriteBoolean("alwaysKept", r.Quorum.QuorumAlwaysKept);
            w.WriteEndObject();
            Strings(w, "findings", r.Findings);
            w.WriteStartObject("stats");
            w.WriteNumber("virtualJumps", r.Stats.VirtualJumps);
            w.WriteNumber("apiRequests", r.Stats.ApiRequests);
            w.WriteNumber("evictionsAccepted", r.Stats.EvictionsAccepted);
            w.WriteNumber("evictionsRejected", r.Stats.EvictionsRejected);
            w.WriteNumber("pdbViolations", r.Stats.PdbViolations);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Nullable(Utf8JsonWriter w, string name, TimeSpan? t)
    {
        if (t is { } v) w.WriteNumber(name, v.TotalSeconds); else w.WriteNull(name);
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
