using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>What the scheduler needs of a node that can take pods (Ready, kubelet up): read once per stored version.</summary>
/// <param name="Index">The node's position among all nodes in name order (the scheduler's tie-break).</param>
/// <param name="Cordoned">spec.unschedulable: <see cref="Taints"/> then holds <see cref="UnschedulableTaint"/>.</param>
internal sealed record NodeFit(JsonObject Node, string Name, int Index, IReadOnlyDictionary<string, string> Labels, List<JsonObject> Taints,
    decimal? Cpu, decimal? Memory, decimal? Pods, bool Cordoned)
{
    /// <summary>The taint a cordoned node carries for the scheduler (only pods that tolerate it may go there).</summary>
    public static JsonObject UnschedulableTaint() => new() { ["key"] = "node.kubernetes.io/unschedulable", ["effect"] = "NoSchedule" };

    /// <summary>The node as the scheduler sees it, or null when it cannot take pods now.</summary>
    public static NodeFit? Read(JsonObject node, int index, bool kubeletUp)
    {
        if (!SandboxCluster.NodeReady(node) || !kubeletUp) return null;
        var taints = new List<JsonObject>();
        foreach (var t in node.Spec().A("taints") ?? [])
            if (t is JsonObject taint && taint.S("effect") is "NoSchedule" or "NoExecute") taints.Add(taint);
        var cordoned = node.Spec().B("unschedulable") == true;
        if (cordoned) taints.Add(UnschedulableTaint());
        var alloc = node.Status().O("allocatable");
        decimal? Q(string k) => alloc.S(k) is { } v ? SandboxCluster.ParseQuantity(v) : null;
        return new NodeFit(node, node.Name(), index, node.Labels(), taints, Q("cpu"), Q("memory"), Q("pods"), cordoned);
    }

    /// <summary>Whether two versions of a Ready node agree on everything <see cref="Read"/> and the scheduler's
    /// constraint checks look at: the spec (taints, unschedulable), the labels and status.allocatable.</summary>
    public static bool SameForScheduler(JsonObject read, JsonObject node) =>
        ReferenceEquals(read, node)
        || (CopyOnWrite.SameTree(read["spec"], node["spec"])
            && CopyOnWrite.SameTree(read.O("metadata")?["labels"], node.O("metadata")?["labels"])
            && CopyOnWrite.SameTree(read.Status()?["allocatable"], node.Status()?["allocatable"]));
}

/// <summary>
/// The scheduler's node list, kept up to date from store changes: every node in name order with its
/// <see cref="NodeFit"/> (null while it cannot take pods), and the nodes that can, ordered by (pod count, index) —
/// the order a pass tries them in. A node change re-reads that node only and a bound or finished pod moves one entry
/// of the order, instead of re-reading every node and re-sorting them on each pass (5,000 nodes).
/// The same order without cordoned nodes serves pods that do not tolerate a cordon (nearly all): drained nodes hold
/// the fewest pods, so the full order would make every binding step over all of them first.
/// </summary>
/// <remarks>Adding or deleting a node shifts the indexes: the list is then rebuilt on next use.</remarks>
internal sealed class SchedulerNodes(Func<string, int> podsOn, Func<string, bool> kubeletUp)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private NodeFit?[] _fits = [];
    private readonly SortedSet<(int Pods, int Index)> _order = [];
    private readonly SortedSet<(int Pods, int Index)> _uncordonedOrder = [];
    private readonly Dictionary<int, int> _orderedPods = [];

    /// <summary>False until built, and again after a node was added or deleted.</summary>
    public bool Current { get; private set; }

    /// <summary>The nodes that can take pods, by (pod count, index).</summary>
    public SortedSet<(int Pods, int Index)> Order => _order;

    /// <summary><see cref="Order"/> without cordoned nodes.</summary>
    public SortedSet<(int Pods, int Index)> UncordonedOrder => _uncordonedOrder;

    public IReadOnlyList<NodeFit?> Fits => _fits;

    public NodeFit this[int index] => _fits[index] ?? throw new InvalidOperationException($"node #{index} cannot take pods");

    /// <summary>A node was added or deleted: indexes shift, so the list is rebuilt on next use.</summary>
    public void Invalidate() => Current = false;

    /// <summary>Reads every node (in name order, as the store lists them).</summary>
    public void Rebuild(IReadOnlyList<JsonObject> nodes)
    {
        _index.Clear();
        _order.Clear();
        _uncordonedOrder.Clear();
        _orderedPods.Clear();
        _fits = new NodeFit?[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            _index[nodes[i].Name()] = i;
            Place(i, NodeFit.Read(nodes[i], i, kubeletUp(nodes[i].Name())));
        }
        Current = true;
    }

    /// <summary>A node's stored version changed (or its kubelet went down or came back): re-read that node, unless
    /// nothing the scheduler reads of it changed (a heartbeat, a kubelet report, an annotation) — then its
    /// <see cref="NodeFit"/> stays, and with it every fit already worked out against it.</summary>
    /// <returns>Whether the scheduler's view of the node may have changed (false: it certainly did not).</returns>
    public bool NodeChanged(JsonObject node)
    {
        if (!Current || !_index.TryGetValue(node.Name(), out var i)) return true;
        var fit = _fits[i];
        var canTakePods = SandboxCluster.NodeReady(node) && kubeletUp(node.Name());
        if (fit is null && !canTakePods) return false;
        if (fit is not null && canTakePods && NodeFit.SameForScheduler(fit.Node, node)) return false;
        Place(i, NodeFit.Read(node, i, kubeletUp(node.Name())));
        return true;
    }

    /// <summary>The number of unfinished pods bound to a node changed.</summary>
    public void PodsChanged(string node)
    {
        if (!Current || !_index.TryGetValue(node, out var i) || !_orderedPods.TryGetValue(i, out var before)) return;
        var after = podsOn(node);
        if (after == before) return;
        _order.Remove((before, i));
        _order.Add((after, i));
        if (!_fits[i]!.Cordoned)
        {
            _uncordonedOrder.Remove((before, i));
            _uncordonedOrder.Add((after, i));
        }
        _orderedPods[i] = after;
    }

    private void Place(int i, NodeFit? fit)
    {
        _fits[i] = fit;
        if (_orderedPods.Remove(i, out var pods))
        {
            _order.Remove((pods, i));
            _uncordonedOrder.Remove((pods, i));
        }
        if (fit is null) return;
        pods = podsOn(fit.Name);
        _order.Add((pods, i));
        if (!fit.Cordoned) _uncordonedOrder.Add((pods, i));
        _orderedPods[i] = pods;
    }
}
