using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The scheduler: binds pending pods to Ready, schedulable nodes that pass nodeSelector, required node
/// affinity, taints/tolerations and CPU/memory requests vs allocatable; prefers the node with the fewest pods.</summary>
public sealed partial class SandboxCluster
{
    /// <summary>What the scheduler needs of a node, read once per scheduling round.</summary>
    private sealed record NodeFit(JsonObject Node, string Name, IReadOnlyDictionary<string, string> Labels, List<JsonObject> Taints,
        decimal? Cpu, decimal? Memory, decimal? Pods);

    private void SchedulePendingPods()
    {
        var pending = Store.UnscheduledPods().Where(p => !p.IsTerminating() && !PodFinished(p)).ToList();
        if (pending.Count == 0) return;
        var nodes = _nodeFits ??= ReadNodeFits();
        var load = new Dictionary<string, (decimal Cpu, decimal Memory, int Pods)>(StringComparer.Ordinal);
        SchedulePendingPodsOn(pending, nodes, load);
    }

    private List<NodeFit> ReadNodeFits()
    {
        var nodes = new List<NodeFit>();
        foreach (var n in Store.All(ServedResource.Nodes))
        {
            if (!NodeReady(n) || !KubeletUp(n.Name())) continue;
            var taints = (n.Spec().A("taints") ?? []).OfType<JsonObject>().Where(t => t.S("effect") is "NoSchedule" or "NoExecute").ToList();
            if (n.Spec().B("unschedulable") == true)
                taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/unschedulable", ["effect"] = "NoSchedule" });
            var alloc = n.Status().O("allocatable");
            decimal? Q(string k) => alloc.S(k) is { } v ? ParseQuantity(v) : null;
            nodes.Add(new NodeFit(n, n.Name(), n.Labels(), taints, Q("cpu"), Q("memory"), Q("pods")));
        }
        return nodes;
    }

    /// <summary>Schedulable nodes as the scheduler sees them; dropped whenever a node or a kubelet changes.</summary>
    private List<NodeFit>? _nodeFits;

    private void SchedulePendingPodsOn(List<JsonObject> pending, List<NodeFit> nodes, Dictionary<string, (decimal Cpu, decimal Memory, int Pods)> load)
    {
        foreach (var n in nodes) load[n.Name] = CachedUsage(n.Name);
        foreach (var pod in pending)
        {
            var req = Requests(pod);
            var spec = pod.Spec();
            var selector = spec.O("nodeSelector").StringMap();
            var affinity = spec.O("affinity")?.O("nodeAffinity")?.O("requiredDuringSchedulingIgnoredDuringExecution");
            var tolerations = (spec.A("tolerations") ?? []).OfType<JsonObject>().ToList();
            NodeFit? best = null;
            foreach (var node in nodes)
            {
                var used = load[node.Name];
                if (best is not null && used.Pods >= load[best.Name].Pods) continue;
                if (!Fits(node, selector, affinity, tolerations, req, used)) continue;
                best = node;
            }
            if (best is null) continue;
            var target = best.Name;
            Store.Mutate(ServedResource.Pods, pod.Ns(), pod.Name(), p =>
            {
                p.Ensure("spec")["nodeName"] = target;
                var st = p.Ensure("status");
                st["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = Obj.Time(Time.GetUtcNow()) });
            });
            var u = load[target];
            load[target] = (u.Cpu + req.Cpu, u.Memory + req.Memory, u.Pods + 1);
        }
    }

    /// <summary>Requested CPU/memory/pod count per node, recomputed only after a pod on that node changed.</summary>
    private readonly Dictionary<string, (decimal Cpu, decimal Memory, int Pods)> _usage = new(StringComparer.Ordinal);

    private (decimal Cpu, decimal Memory, int Pods) CachedUsage(string node)
    {
        if (!_usage.TryGetValue(node, out var u)) _usage[node] = u = Usage(node);
        return u;
    }

    private void InvalidateUsage(string? node)
    {
        if (!string.IsNullOrEmpty(node)) _usage.Remove(node);
    }

    private (decimal Cpu, decimal Memory, int Pods) Usage(string node)
    {
        decimal cpu = 0, mem = 0;
        var count = 0;
        foreach (var p in Store.PodsOnNode(node))
        {
            if (PodFinished(p)) continue;
            var r = Requests(p);
            cpu += r.Cpu; mem += r.Memory; count++;
        }
        return (cpu, mem, count);
    }

    private static (decimal Cpu, decimal Memory) Requests(JsonObject pod)
    {
        decimal cpu = 0, mem = 0;
        foreach (var c in (pod.Spec().A("containers") ?? []).OfType<JsonObject>())
        {
            var req = c.O("resources")?.O("requests").StringMap() ?? [];
            if (req.TryGetValue("cpu", out var cv)) cpu += ParseQuantity(cv);
            if (req.TryGetValue("memory", out var mv)) mem += ParseQuantity(mv);
        }
        return (cpu, mem);
    }

    private static readonly (string Suffix, decimal Factor)[] QuantitySuffixes =
        [
            ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
            ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m),
        ];

    internal static decimal ParseQuantity(string q)
    {
        foreach (var (suffix, factor) in QuantitySuffixes)
            if (q.EndsWith(suffix, StringComparison.Ordinal) && decimal.TryParse(q[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture, out var v))
                return v * factor;
        return decimal.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }

    private static bool Fits(NodeFit node, Dictionary<string, string> selector, JsonObject? affinity, List<JsonObject> tolerations,
        (decimal Cpu, decimal Memory) req, (decimal Cpu, decimal Memory, int Pods) used)
    {
        foreach (var (k, v) in selector)
            if (!node.Labels.TryGetValue(k, out var actual) || actual != v) return false;
        if (affinity is not null && !AffinityAllows(affinity, node.Node)) return false;
        foreach (var t in node.Taints)
            if (!tolerations.Any(tol => Tolerates(tol, t))) return false;
        if (node.Cpu is { } cpu && used.Cpu + req.Cpu > cpu) return false;
        if (node.Memory is { } mem && used.Memory + req.Memory > mem) return false;
        if (node.Pods is { } pods && used.Pods + 1 > pods) return false;
        return true;
    }

    internal static bool Tolerates(JsonObject tol, JsonObject taint)
    {
        if (tol.S("effect") is { Length: > 0 } e && e != taint.S("effect")) return false;
        if (tol.S("operator") == "Exists") return string.IsNullOrEmpty(tol.S("key")) || tol.S("key") == taint.S("key");
        return tol.S("key") == taint.S("key") && (tol.S("value") ?? "") == (taint.S("value") ?? "");
    }

    private static bool AffinityAllows(JsonObject? required, JsonObject node)
    {
        if (required?.A("nodeSelectorTerms") is not { Count: > 0 } terms) return true;
        var labels = node.Labels();
        return terms.OfType<JsonObject>().Any(term =>
            (term.A("matchExpressions") ?? []).OfType<JsonObject>().All(e => Requirement(e, labels.GetValueOrDefault(e.S("key") ?? "")))
            && (term.A("matchFields") ?? []).OfType<JsonObject>().All(e => e.S("key") != "metadata.name" || Requirement(e, node.Name())));
    }

    private static bool Requirement(JsonObject e, string? value)
    {
        var values = (e.A("values") ?? []).Select(v => v?.GetValue<string>()).ToList();
        return e.S("operator") switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            _ => false,
        };
    }

}
