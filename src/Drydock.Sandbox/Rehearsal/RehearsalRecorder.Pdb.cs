using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Planning.Scheduling;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>PDB waits, from the eviction outcomes the client reports: a 429 opens a wait, the accepted eviction closes it.</summary>
internal sealed partial class RehearsalRecorder
{
    private readonly Dictionary<string, PdbWait> _openWaits = new(StringComparer.Ordinal);
    private readonly List<PdbWait> _waits = [];

    public void OnEviction(string ns, string name, Exception? error)
    {
        var key = $"{ns}/{name}";
        var at = Offset(_cluster.Time.GetUtcNow());
        if (error is null)
        {
            if (_openWaits.Remove(key, out var w)) _waits.Add(w with { End = at });
            return;
        }
        if (error is not KubeApiException { IsTooManyRequests: true }) return;
        if (_openWaits.TryGetValue(key, out var open)) { _openWaits[key] = open with { Retries = open.Retries + 1 }; return; }
        _openWaits[key] = Describe(ns, name, at);
    }

    private PdbWait Describe(string ns, string name, TimeSpan at)
    {
        var pod = _cluster.Store.Get(ServedResource.Pods, ns, name);
        var node = pod?.Spec().S("nodeName") ?? "?";
        var pdbObject = pod is null ? null : _cluster.PdbsFor(pod).FirstOrDefault();
        // The store's typed copy: one conversion per PDB version, however many of its pods wait on it.
        var pdb = pdbObject is null ? null : _cluster.Store.Typed(pdbObject, Client.TypedCopy.Of<PodDisruptionBudget>);
        if (pdb is null)
            return new PdbWait { Node = node, Pod = $"{ns}/{name}", Pdb = "(none)", Start = at, Budget = "", WaitsFor = "eviction refused with 429 (API throttling)" };
        var st = pdb.Status;
        var budget = pdb.Spec?.MinAvailable is { } min ? $"minAvailable {Text(min)}" : pdb.Spec?.MaxUnavailable is { } max ? $"maxUnavailable {Text(max)}" : "";
        // The disruption controller's facts about each member (kept up to date on every pod change) say which are
        // unhealthy; only those are read, and only in the rare "nothing can happen" case every member. Listing and
        // reading all of a budget's pods for each of a 5,000-node rehearsal's 59,000 waits was 2 % of its run.
        var facts = _cluster.PdbMemberFacts(pdbObject!);
        var unhealthy = facts.Where(m => !m.Value.Healthy).Select(m => m.Key).Order(StringComparer.Ordinal)
            .Select(n => _cluster.Store.Get(ServedResource.Pods, ns, n)).OfType<JsonObject>()
            .Select(p => $"{p.Name()} on {p.Spec().S("nodeName") ?? "(unscheduled)"}" + (p.IsTerminating() ? " (terminating)" : " (not Ready)")).ToList();
        var expected = st?.ExpectedPods ?? facts.Count;
        var desired = st?.DesiredHealthy ?? 0;
        var waitsFor = unhealthy.Count > 0
            ? "replacements to become Ready: " + string.Join(", ", unhealthy.Take(5)) + (unhealthy.Count > 5 ? $" and {unhealthy.Count - 5} more" : "")
            : desired >= expected
                ? $"nothing that can happen: {budget} needs all {expected} pod(s) healthy, so disruptionsAllowed stays 0 (every one of its pods is on {string.Join(", ", _cluster.PodsCoveredBy(pdbObject!).Select(p => p.Spec().S("nodeName")).Distinct().Order(StringComparer.Ordinal))})"
                : "another eviction of this budget to finish";
        return new PdbWait
        {
            Node = node, Pod = $"{ns}/{name}", Pdb = $"{ns}/{pdb.Metadata.Name}", Start = at, Budget = budget,
            ExpectedPods = expected, CurrentHealthy = st?.CurrentHealthy ?? 0, DesiredHealthy = desired,
            DisruptionsAllowed = st?.DisruptionsAllowed ?? 0, WaitsFor = waitsFor,
        };
    }

    private static string Text(IntOrString v) => v.IntValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? v.StringValue ?? "";

    public IReadOnlyList<PdbWait> PdbWaits => _waits.Concat(_openWaits.Values).OrderBy(w => w.Start).ThenBy(w => w.Pod, StringComparer.Ordinal).ToList();

    /// <summary>Waits that never ended, for the "would not finish" line.</summary>
    public IReadOnlyList<PdbWait> OpenWaits => _openWaits.Values.OrderBy(w => w.Start).ToList();
}
