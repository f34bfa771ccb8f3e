using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Why no node takes a pending pod, in kube-scheduler's FailedScheduling wording: "0/8 nodes are available:
/// 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable,
/// 3 Insufficient cpu." Each node is counted once, under the first filter it fails (the scheduler's order).
/// </summary>
internal static class UnschedulableReason
{
    public static string Explain(SandboxCluster cluster, JsonObject pod)
    {
        var spec = pod.Spec();
        var selector = spec.O("nodeSelector").StringMap();
        var hasAffinity = spec.O("affinity")?.O("nodeAffinity")?.O("requiredDuringSchedulingIgnoredDuringExecution") is not null;
        var tolerations = (spec.A("tolerations") ?? []).OfType<JsonObject>().ToList();
        decimal cpu = 0, mem = 0;
        foreach (var c in (spec.A("containers") ?? []).OfType<JsonObject>())
        {
            var req = c.O("resources")?.O("requests").StringMap() ?? [];
            if (req.TryGetValue("cpu", out var cv)) cpu += SandboxCluster.ParseQuantity(cv);
            if (req.TryGetValue("memory", out var mv)) mem += SandboxCluster.ParseQuantity(mv);
        }
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        lock (cluster.Store.Gate)
        {
            var nodes = cluster.Store.All(ServedResource.Nodes);
            var facts = FactsOf.GetValue(cluster, _ => new Dictionary<string, (JsonObject Version, NodeFacts Facts)>(StringComparer.Ordinal));
            foreach (var node in nodes)
            {
                var why = Filter(cluster, NodeFacts.Get(facts, node), selector, hasAffinity, tolerations, cpu, mem);
                if (why is not null) reasons[why] = reasons.GetValueOrDefault(why) + 1;
            }
            var available = nodes.Count - reasons.Values.Sum();
            var detail = string.Join(", ", reasons.Select(kv => $"{kv.Value} {kv.Key}"));
            return available > 0
                ? $"{available}/{nodes.Count} nodes fit now; the scheduler had not bound it yet"
                : $"0/{nodes.Count} nodes are available: {detail}.";
        }
    }

    /// <summary>Per cluster, each node's facts with the stored version they were read from: one entry per node, replaced
    /// when the node changes — not one weak handle per node version ever explained, which every GC would have to trace.</summary>
    private static readonly ConditionalWeakTable<SandboxCluster, Dictionary<string, (JsonObject Version, NodeFacts Facts)>> FactsOf = new();

    /// <summary>What the filters read of a node, parsed once per stored node version (stored objects never change).</summary>
    private sealed record NodeFacts(string Name, bool Ready, bool Unschedulable, List<JsonObject> Taints, Dictionary<string, string> Labels,
        decimal? Cpu, decimal? Memory, decimal? Pods)
    {
        public static NodeFacts Get(Dictionary<string, (JsonObject Version, NodeFacts Facts)> cache, JsonObject node)
        {
            var name = node.Name();
            if (cache.TryGetValue(name, out var known) && ReferenceEquals(known.Version, node)) return known.Facts;
            var facts = Read(node);
            cache[name] = (node, facts);
            return facts;
        }

        private static NodeFacts Read(JsonObject n)
        {
            var alloc = n.Status().O("allocatable").StringMap();
            decimal? Q(string k) => alloc.TryGetValue(k, out var v) ? SandboxCluster.ParseQuantity(v) : null;
            return new NodeFacts(n.Name(),
                n.Status().A("conditions")?.OfType<JsonObject>().Any(c => c.S("type") == "Ready" && c.S("status") == "True") == true,
                n.Spec().B("unschedulable") == true,
                (n.Spec().A("taints") ?? []).OfType<JsonObject>().Where(t => t.S("effect") is "NoSchedule" or "NoExecute").ToList(),
                n.Labels().ToDictionary(StringComparer.Ordinal), Q("cpu"), Q("memory"), Q("pods"));
        }
    }

    private static string? Filter(SandboxCluster cluster, NodeFacts node, IReadOnlyDictionary<string, string> selector, bool hasAffinity,
        List<JsonObject> tolerations, decimal cpu, decimal mem)
    {
        if (!node.Ready) return "node(s) were not ready";
        if (node.Unschedulable) return "node(s) were unschedulable";
        foreach (var t in node.Taints)
            if (!tolerations.Any(tol => SandboxCluster.Tolerates(tol, t))) return $"node(s) had untolerated taint {{{t.S("key")}: {t.S("value")}}}";
        foreach (var (k, v) in selector)
            if (!node.Labels.TryGetValue(k, out var actual) || actual != v)
                return hasAffinity ? "node(s) didn't match Pod's node affinity/selector" : "node(s) didn't match Pod's node selector";
        var (usedCpu, usedMem, count) = cluster.UsageOf(node.Name);
        if (node.Cpu is { } ac && usedCpu + cpu > ac) return "Insufficient cpu";
        if (node.Memory is { } am && usedMem + mem > am) return "Insufficient memory";
        if (node.Pods is { } ap && count + 1 > ap) return "Too many pods";
        return null;
    }
}
