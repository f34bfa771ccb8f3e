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
        var nodes = cluster.Store.All(ServedResource.Nodes);
        foreach (var node in nodes)
        {
            var why = Filter(cluster, node, selector, hasAffinity, tolerations, cpu, mem);
            if (why is not null) reasons[why] = reasons.GetValueOrDefault(why) + 1;
        }
        var available = nodes.Count - reasons.Values.Sum();
        var detail = string.Join(", ", reasons.Select(kv => $"{kv.Value} {kv.Key}"));
        return available > 0
            ? $"{available}/{nodes.Count} nodes fit now; the scheduler had not bound it yet"
            : $"0/{nodes.Count} nodes are available: {detail}.";
    }

    private static string? Filter(SandboxCluster cluster, JsonObject node, IReadOnlyDictionary<string, string> selector, bool hasAffinity,
        List<JsonObject> tolerations, decimal cpu, decimal mem)
    {
        var ready = node.Status().A("conditions")?.OfType<JsonObject>().Any(c => c.S("type") == "Ready" && c.S("status") == "True") == true;
        if (!ready) return "node(s) were not ready";
        if (node.Spec().B("unschedulable") == true) return "node(s) were unschedulable";
        foreach (var t in (node.Spec().A("taints") ?? []).OfType<JsonObject>().Where(t => t.S("effect") is "NoSchedule" or "NoExecute"))
            if (!tolerations.Any(tol => SandboxCluster.Tolerates(tol, t))) return $"node(s) had untolerated taint {{{t.S("key")}: {t.S("value")}}}";
        var labels = node.Labels();
        foreach (var (k, v) in selector)
            if (!labels.TryGetValue(k, out var actual) || actual != v)
                return hasAffinity ? "node(s) didn't match Pod's node affinity/selector" : "node(s) didn't match Pod's node selector";
        decimal usedCpu = 0, usedMem = 0;
        var count = 0;
        foreach (var p in cluster.Store.PodsOnNode(node.Name()))
        {
            if (p.Status().S("phase") is "Succeeded" or "Failed") continue;
            count++;
            foreach (var c in (p.Spec().A("containers") ?? []).OfType<JsonObject>())
            {
                var req = c.O("resources")?.O("requests").StringMap() ?? [];
                if (req.TryGetValue("cpu", out var cv)) usedCpu += SandboxCluster.ParseQuantity(cv);
                if (req.TryGetValue("memory", out var mv)) usedMem += SandboxCluster.ParseQuantity(mv);
            }
        }
        var alloc = node.Status().O("allocatable").StringMap();
        if (alloc.TryGetValue("cpu", out var ac) && usedCpu + cpu > SandboxCluster.ParseQuantity(ac)) return "Insufficient cpu";
        if (alloc.TryGetValue("memory", out var am) && usedMem + mem > SandboxCluster.ParseQuantity(am)) return "Insufficient memory";
        if (alloc.TryGetValue("pods", out var ap) && count + 1 > SandboxCluster.ParseQuantity(ap)) return "Too many pods";
        return null;
    }
}
