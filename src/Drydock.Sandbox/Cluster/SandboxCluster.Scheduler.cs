using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The scheduler: binds pending pods to Ready, schedulable nodes that pass nodeSelector, required node
/// affinity, taints/tolerations and CPU/memory requests vs allocatable; prefers the node with the fewest pods
/// (ties: the first by name).</summary>
/// <remarks>
/// Built for 5,000 nodes / 150,000 pods: per-node usage is kept up to date from store changes (never recomputed from
/// the pods), a pass walks nodes in (pods, name) order and stops at the first that fits, and pods are grouped by
/// their scheduling shape (requests, selector, affinity, tolerations) — a shape that fit nowhere is not tried again
/// until capacity may have been freed (a pod left a node, a node changed). Placements are exactly those of the
/// plain "try every node for every pod" scheduler (SchedulerPlacementTests).
/// </remarks>
public sealed partial class SandboxCluster
{
    /// <summary>Nodes in name order with what the scheduler reads of them, and the order a pass tries them in.</summary>
    private SchedulerNodes? _schedulerNodes;

    private SchedulerNodes SchedulerNodes => _schedulerNodes ??= new SchedulerNodes(n => UsageOf(n).Pods, KubeletUp);

    /// <summary>Requests charged to a node by each bound, unfinished pod (pod uid → node, cpu, memory) and the sums per
    /// node. Keyed by uid, which every version carries as it is, rather than a "namespace/name" key built per change.</summary>
    private readonly Dictionary<string, (string Node, decimal Cpu, decimal Memory)> _charged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (decimal Cpu, decimal Memory, int Pods)> _usage = new(StringComparer.Ordinal);

    /// <summary>Bumped whenever capacity may have grown (a charge went away or shrank, a node changed): a shape that
    /// found no node at one epoch finds none at the same epoch, since in between nodes only filled up.</summary>
    private long _capacityEpoch;

    private readonly Dictionary<string, PodShape> _shapes = new(StringComparer.Ordinal);
    /// <summary>The shape of each pending pod's stored version the scheduler has met. A plain dictionary, not a
    /// ConditionalWeakTable (whose dependent handles the GC traces, 150,000 of them on load): an entry is dropped
    /// when its version is replaced or removed (<see cref="ForgetShape"/>).</summary>
    private readonly Dictionary<JsonObject, PodShape> _shapeOfPod = new(ReferenceEqualityComparer.Instance);

    /// <summary>Requested CPU/memory and pod count on a node (bound pods that have not finished).</summary>
    internal (decimal Cpu, decimal Memory, int Pods) UsageOf(string node) => _usage.GetValueOrDefault(node);

    /// <summary>A node was added, deleted or changed: capacity may have grown, unless the change left the scheduler's
    /// view of the node as it was (heartbeats, kubelet reports) — shapes found unfit then stay unfit.</summary>
    private void NodesChanged(StoreChange c)
    {
        if (c.Type == "MODIFIED") { if (!SchedulerNodes.NodeChanged(c.Object)) return; }
        else SchedulerNodes.Invalidate();
        _capacityEpoch++;
    }

    /// <summary>Keeps <see cref="_usage"/> in step with a pod change (called for every committed pod change).</summary>
    private void TrackUsage(StoreChange c)
    {
        var pod = c.Object;
        var key = pod.Uid();
        var node = c.Type == "DELETED" || PodFinished(pod) ? null : pod.Spec().S("nodeName");
        var had = _charged.TryGetValue(key, out var old);
        if (string.IsNullOrEmpty(node))
        {
            if (!had) return;
            _charged.Remove(key);
            Charge(old.Node, -old.Cpu, -old.Memory, -1);
            _capacityEpoch++;
            return;
        }
        // A new version that shares its predecessor's spec (a start, a termination: see CopyOnWrite) requests the same.
        if (had && old.Node == node && c.Previous is { } previous && ReferenceEquals(previous["spec"], pod["spec"])) return;
        var (cpu, mem) = Requests(pod);
        if (had)
        {
            if (old.Node == node && old.Cpu == cpu && old.Memory == mem) return;
            Charge(old.Node, -old.Cpu, -old.Memory, -1);
            if (old.Node != node || cpu < old.Cpu || mem < old.Memory) _capacityEpoch++;
        }
        _charged[key] = (node, cpu, mem);
        Charge(node, cpu, mem, 1);
    }

    private void Charge(string node, decimal cpu, decimal mem, int pods)
    {
        var u = _usage.GetValueOrDefault(node);
        u = (u.Cpu + cpu, u.Memory + mem, u.Pods + pods);
        if (u.Pods == 0 && u.Cpu == 0 && u.Memory == 0) _usage.Remove(node); else _usage[node] = u;
        if (pods != 0) SchedulerNodes.PodsChanged(node);
    }

    private void SchedulePendingPods()
    {
        var pending = Store.UnscheduledPods().Where(p => !p.IsTerminating() && !PodFinished(p)).ToList();
        if (pending.Count == 0) return;
        var nodes = SchedulerNodes;
        if (!nodes.Current) nodes.Rebuild(Store.All(ServedResource.Nodes));
        foreach (var pod in pending)
        {
            if (FirstFit(ShapeOf(pod), nodes) is not { } best) continue;
            var target = best.Name;
            var now = Obj.Time(Time.GetUtcNow());
            // Bringing a loaded cluster to steady state, a bound pod starts at once (Settle): bound and started in one
            // version, not two — a 150,000-pod load wrote every pod once more, and its controllers' statuses with it.
            // Not a StatefulSet's: its next ordinal waits for this one to run, and Settle starts one ordinal per round
            // after every other pod is placed — starting it here would place the next one earlier, elsewhere.
            var hostIp = _settling && pod.ControllerRef()?.S("kind") != "StatefulSet" && KubeletUp(target) ? HostIp(target) : null;
            ReplaceWith(ServedResource.Pods, pod, p => Bind(p, target, hostIp, now)); // binding always changes the pod (it had no node)
            if (hostIp is not null) Started(pod);
            // Binding charged the node: its entry in nodes.Order moved with its pod count (TrackUsage).
        }
    }

    /// <summary>The first node in the pass order that <paramref name="shape"/> fits, or null (remembered for the shape
    /// until capacity may have grown).</summary>
    private NodeFit? FirstFit(PodShape shape, SchedulerNodes nodes)
    {
        if (shape.UnfitAtEpoch == _capacityEpoch) return null;
        foreach (var (_, index) in shape.ToleratesCordon ? nodes.Order : nodes.UncordonedOrder)
        {
            var node = nodes[index];
            if (shape.StaticallyFits(node, nodes.Fits.Count) && ResourcesFit(node, shape, UsageOf(node.Name))) return node;
        }
        shape.UnfitAtEpoch = _capacityEpoch;
        return null;
    }

    /// <summary>Places a ReplicaSet's new pod as the store commits it, when no other pod waits for a node (so it jumps
    /// no queue: kube-scheduler's is first in, first out): bound in its first version, and started too while a load
    /// settles. A replacement used to be committed pending, then bound by the next pass — a version more for each of a
    /// 5,000-node rehearsal's 165,000 evictions. A pod that fits nowhere is committed pending, as before.</summary>
    private void PlaceAtCreation(JsonObject pod)
    {
        var nodes = SchedulerNodes;
        if (!nodes.Current) nodes.Rebuild(Store.All(ServedResource.Nodes));
        if (FirstFit(ShapeOf(pod, remember: false), nodes) is not { } best) return;
        var target = best.Name;
        Bind(pod, target, _settling && KubeletUp(target) ? HostIp(target) : null, Obj.Time(Time.GetUtcNow()));
    }

    /// <summary>Writes a binding into a pod version being built: its node, and either the PodScheduled condition or,
    /// with <paramref name="hostIp"/> (a settling load), the running status the kubelet would report.</summary>
    private void Bind(JsonObject pod, string target, string? hostIp, string now)
    {
        pod.Own("spec", spare: 1)["nodeName"] = target;
        if (hostIp is not null) WriteRunning(pod, pod.Own("status", RunningStatusSpare), hostIp, now);
        else pod.Own("status", spare: 1)["conditions"] = _scheduledConditions.At(now);
    }

    /// <summary>The conditions of a pod bound at a given second.</summary>
    private readonly StampedBySecond<JsonArray> _scheduledConditions = new(now =>
        new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now }));

    /// <summary>Everything the scheduler reads of a pod: its requests and its node constraints. Pods with equal
    /// shapes fit the same nodes, so they share the per-node constraint results and the "fit nowhere" verdict.</summary>
    private sealed class PodShape(string key, decimal cpu, decimal memory, Dictionary<string, string> selector, JsonObject? affinity, List<JsonObject> tolerations)
    {
        public string Key { get; } = key;
        public decimal Cpu { get; } = cpu;
        public decimal Memory { get; } = memory;
        public long UnfitAtEpoch { get; set; } = -1;

        /// <summary>Whether these pods may go to a cordoned node at all (else the scheduler skips cordoned nodes).</summary>
        public bool ToleratesCordon { get; } = TolerationsAllow(tolerations, NodeFit.UnschedulableTaint());
        private NodeFit?[] _checkedFor = [];
        private bool[] _static = [];

        /// <summary>nodeSelector, required node affinity and taints (no resources), cached per node version
        /// (a node's <see cref="NodeFit"/> is replaced whenever the node changes).</summary>
        public bool StaticallyFits(NodeFit node, int nodeCount)
        {
            if (_checkedFor.Length != nodeCount) { _checkedFor = new NodeFit?[nodeCount]; _static = new bool[nodeCount]; }
            if (!ReferenceEquals(_checkedFor[node.Index], node))
            {
                _static[node.Index] = Constraints(node);
                _checkedFor[node.Index] = node;
            }
            return _static[node.Index];
        }

        private bool Constraints(NodeFit node)
        {
            foreach (var (k, v) in selector)
                if (!node.Labels.TryGetValue(k, out var actual) || actual != v) return false;
            if (affinity is not null && !AffinityAllows(affinity, node.Node)) return false;
            foreach (var t in node.Taints)
                if (!TolerationsAllow(tolerations, t)) return false;
            return true;
        }
    }

    /// <summary>The shape of a stored pod version, remembered until that version goes (<paramref name="remember"/>
    /// false for objects that may not be stored versions, which would never be forgotten).</summary>
    private PodShape ShapeOf(JsonObject pod, bool remember = true)
    {
        if (_shapeOfPod.TryGetValue(pod, out var known)) return known;
        var spec = pod.Spec();
        // Pods of one template share the nodes a shape is read from (PodTemplates): found by them, the shape's key —
        // the requests parsed, the constraints serialized — is not built again for every pod a ReplicaSet creates.
        var parts = new ShapeParts(spec?["containers"], spec?["nodeSelector"], spec?["affinity"], spec?["tolerations"]);
        if (_shapeByParts.TryGetValue(parts, out var shared))
        {
            if (remember) _shapeOfPod[pod] = shared;
            return shared;
        }
        var (cpu, mem) = Requests(pod);
        var selector = spec.O("nodeSelector");
        var affinity = spec.O("affinity")?.O("nodeAffinity")?.O("requiredDuringSchedulingIgnoredDuringExecution");
        var tolerations = spec.A("tolerations");
        var key = $"{cpu}|{mem}|{selector?.ToJsonString()}|{affinity?.ToJsonString()}|{tolerations?.ToJsonString()}";
        if (!_shapes.TryGetValue(key, out var shape))
            _shapes[key] = shape = new PodShape(key, cpu, mem, selector.StringMap(), affinity, (tolerations ?? []).OfType<JsonObject>().ToList());
        if (remember) _shapeOfPod[pod] = shape;
        if (_shapeByParts.Count >= ShapeByPartsCap) _shapeByParts.Clear();
        _shapeByParts[parts] = shape;
        return shape;
    }

    /// <summary>The nodes of a pod's spec its scheduling shape is read from, compared by reference: stored nodes are
    /// never edited, so the same nodes hold the same shape.</summary>
    private readonly record struct ShapeParts(JsonNode? Containers, JsonNode? Selector, JsonNode? Affinity, JsonNode? Tolerations)
    {
        public bool Equals(ShapeParts other) => ReferenceEquals(Containers, other.Containers) && ReferenceEquals(Selector, other.Selector)
            && ReferenceEquals(Affinity, other.Affinity) && ReferenceEquals(Tolerations, other.Tolerations);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Containers), RuntimeHelpers.GetHashCode(Selector),
            RuntimeHelpers.GetHashCode(Affinity), RuntimeHelpers.GetHashCode(Tolerations));
    }

    /// <summary>Shapes by the nodes they were read from. Bounded: pods loaded from a List have spec nodes of their own,
    /// which the entries would otherwise keep alive after the pods are gone.</summary>
    private readonly Dictionary<ShapeParts, PodShape> _shapeByParts = [];
    private const int ShapeByPartsCap = 50_000;

    /// <summary>A pod version was replaced or removed: its shape entry goes with it.</summary>
    private void ForgetShape(StoreChange c)
    {
        if (c.Previous is not null && _shapeOfPod.Count > 0) _shapeOfPod.Remove(c.Previous);
    }

    /// <summary>A key equal for pods the scheduler cannot tell apart (used to explain unschedulable pods once per shape).</summary>
    internal string SchedulingShapeKey(JsonObject pod) { lock (Store.Gate) return ShapeOf(pod, remember: false).Key; }

    private static bool ResourcesFit(NodeFit node, PodShape shape, (decimal Cpu, decimal Memory, int Pods) used)
    {
        if (node.Cpu is { } cpu && used.Cpu + shape.Cpu > cpu) return false;
        if (node.Memory is { } mem && used.Memory + shape.Memory > mem) return false;
        if (node.Pods is { } pods && used.Pods + 1 > pods) return false;
        return true;
    }

    private static (decimal Cpu, decimal Memory) Requests(JsonObject pod)
    {
        decimal cpu = 0, mem = 0;
        if (pod.Spec().A("containers") is not { } containers) return (0, 0);
        foreach (var c in containers)
        {
            if (c.O("resources")?.O("requests") is not { } req) continue;
            if (req.S("cpu") is { } cv) cpu += ParseQuantity(cv);
            if (req.S("memory") is { } mv) mem += ParseQuantity(mv);
        }
        return (cpu, mem);
    }

    private static readonly (string Suffix, decimal Factor)[] QuantitySuffixes =
        [
            ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
            ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m),
        ];

    /// <summary>Parsed quantities by their text: every pod change re-reads its requests, and a cluster uses few distinct values.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, decimal> ParsedQuantities = new(StringComparer.Ordinal);
    private const int ParsedQuantitiesCap = 4096;

    internal static decimal ParseQuantity(string q)
    {
        if (ParsedQuantities.TryGetValue(q, out var known)) return known;
        var parsed = ParseQuantityText(q);
        if (ParsedQuantities.Count < ParsedQuantitiesCap) ParsedQuantities.TryAdd(q, parsed);
        return parsed;
    }

    private static decimal ParseQuantityText(string q)
    {
        foreach (var (suffix, factor) in QuantitySuffixes)
            if (q.EndsWith(suffix, StringComparison.Ordinal) && decimal.TryParse(q[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture, out var v))
                return v * factor;
        return decimal.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }

    private static bool TolerationsAllow(List<JsonObject> tolerations, JsonObject taint)
    {
        foreach (var tol in tolerations)
            if (Tolerates(tol, taint)) return true;
        return false;
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
