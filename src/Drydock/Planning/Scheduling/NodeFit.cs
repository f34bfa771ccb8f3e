using Drydock.Kube.Models;
using Drydock.Planning.Inventory;

namespace Drydock.Planning.Scheduling;

/// <summary>
/// The scheduler's static filters planning needs: NodeUnschedulable, TaintToleration (NoSchedule/NoExecute),
/// NodeSelector and required NodeAffinity. Resources are checked separately (they change as pods move).
/// </summary>
public static class NodeFit
{
    public static bool Allows(NodeState node, PodState pod) =>
        !node.Unschedulable && ToleratesAll(node.Taints, pod.Tolerations) && MatchesNode(pod, node.Labels, node.Name);

    public static bool ToleratesAll(IReadOnlyList<Taint> taints, IReadOnlyList<Toleration> tolerations)
    {
        foreach (var t in taints)
        {
            if (t.Effect == "PreferNoSchedule") continue;
            var tolerated = false;
            foreach (var tol in tolerations)
                if (Tolerates(tol, t)) { tolerated = true; break; }
            if (!tolerated) return false;
        }
        return true;
    }

    /// <summary>v1.Toleration.ToleratesTaint: empty effect matches all effects; empty key with Exists matches all taints.</summary>
    public static bool Tolerates(Toleration tol, Taint taint)
    {
        if (!string.IsNullOrEmpty(tol.Effect) && tol.Effect != taint.Effect) return false;
        if (!string.IsNullOrEmpty(tol.Key) && tol.Key != taint.Key) return false;
        return tol.Operator switch
        {
            "Exists" => true,
            null or "" or "Equal" => (tol.Value ?? "") == (taint.Value ?? "") && !string.IsNullOrEmpty(tol.Key),
            _ => false,
        };
    }

    public static bool MatchesNode(PodState pod, IReadOnlyDictionary<string, string> labels, string nodeName)
    {
        foreach (var (k, v) in pod.NodeSelector)
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        if (pod.RequiredNodeAffinity is not { } affinity || affinity.NodeSelectorTerms.Count == 0) return true;
        // Terms are ORed, requirements within a term ANDed; matchFields supports metadata.name only (as upstream).
        foreach (var term in affinity.NodeSelectorTerms)
        {
            var ok = (term.MatchExpressions ?? []).All(e => LabelSelectorMatcher.Requirement(e.Key, e.Operator, e.Values, labels))
                  && (term.MatchFields ?? []).All(f => f.Key == "metadata.name" &&
                         LabelSelectorMatcher.Requirement("n", f.Operator, f.Values, new Dictionary<string, string> { ["n"] = nodeName }));
            if (ok && ((term.MatchExpressions?.Count ?? 0) + (term.MatchFields?.Count ?? 0)) > 0) return true;
        }
        return false;
    }

    /// <summary>True when the pod's placement rules mention something unique per node (hostname, metadata.name).</summary>
    public static bool PinsToNode(PodState pod) =>
        pod.NodeSelector.ContainsKey("kubernetes.io/hostname") ||
        pod.RequiredNodeAffinity?.NodeSelectorTerms.Any(t =>
            (t.MatchExpressions ?? []).Any(e => e.Key == "kubernetes.io/hostname") || (t.MatchFields?.Count ?? 0) > 0) == true;
}
