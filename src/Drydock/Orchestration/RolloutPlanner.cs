using Drydock.Common;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>
/// Pure: nodes + target hop versions → <see cref="RolloutPlan"/>. Control planes first, one at a time (the first
/// runs `kubeadm upgrade apply`), then workers in batches of at most max-unavailable, in name order. Workers
/// already at a hop's version are left out of that hop. The Planning layer's UpgradePlan supersedes the ordering
/// when it is used (PDB-aware batches); this is the orchestrator's own minimal form of it.
/// </summary>
public static class RolloutPlanner
{
    public const string ControlPlaneLabel = "node-role.kubernetes.io/control-plane";
    public const string LegacyMasterLabel = "node-role.kubernetes.io/master";

    public static bool IsControlPlane(Node n) =>
        n.Metadata.Labels is { } l && (l.ContainsKey(ControlPlaneLabel) || l.ContainsKey(LegacyMasterLabel));

    /// <param name="hopVersions">"1.28.4", "1.29.2": one per minor, ascending.</param>
    /// <param name="currentVersion">The cluster's version now ("1.27.6"), to know which hops change minor.</param>
    public static RolloutPlan ForUpgrade(IReadOnlyList<Node> nodes, IReadOnlyList<string> hopVersions, string currentVersion, int maxUnavailable,
        string? firstControlPlane = null)
    {
        var cps = nodes.Where(IsControlPlane).Select(n => n.Metadata.Name!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (cps.Count == 0) throw new DrydockException(new OperationError($"no control-plane node found (label {ControlPlaneLabel}): is this a kubeadm cluster?"));
        var first = firstControlPlane ?? cps[0];
        if (!cps.Contains(first)) throw new DrydockException(new UsageError($"--first-control-plane {first} is not a control-plane node (control planes: {string.Join(", ", cps)})"));
        var hops = new List<RolloutHop>();
        var previous = currentVersion;
        foreach (var version in hopVersions)
        {
            var controlPlanes = cps.Where(c => c != first).Select(c => new RolloutNode(c, NodeRole.ControlPlane))
                .Prepend(new RolloutNode(first, NodeRole.FirstControlPlane)).ToList();
            var batches = new List<RolloutBatch>();
            foreach (var cp in controlPlanes) batches.Add(new RolloutBatch(batches.Count, [cp], BatchStage.ControlPlaneComponents));
            foreach (var cp in controlPlanes) batches.Add(new RolloutBatch(batches.Count, [cp], BatchStage.Kubelet));
            var workers = nodes.Where(n => !IsControlPlane(n) && !n.KubeletAt(version)).Select(n => n.Metadata.Name!).OrderBy(n => n, StringComparer.Ordinal);
            foreach (var chunk in workers.Chunk(Math.Max(1, maxUnavailable)))
                batches.Add(new RolloutBatch(batches.Count, chunk.Select(w => new RolloutNode(w, NodeRole.Worker)).ToList()));
            hops.Add(new RolloutHop { Version = version, SwitchRepository = Minor(version) != Minor(previous), Batches = batches });
            previous = version;
        }
        return new RolloutPlan { Kind = RolloutKind.Upgrade, Hops = hops, MaxUnavailable = maxUnavailable };
    }

    /// <summary>seed 002 across many nodes: control planes one at a time first, then workers in batches.</summary>
    public static RolloutPlan ForMaintenance(IReadOnlyList<Node> nodes, int maxUnavailable, MaintenanceWork work)
    {
        var batches = new List<RolloutBatch>();
        foreach (var cp in nodes.Where(IsControlPlane).Select(n => n.Metadata.Name!).OrderBy(n => n, StringComparer.Ordinal))
            batches.Add(new RolloutBatch(batches.Count, [new RolloutNode(cp, NodeRole.ControlPlane)]));
        var workers = nodes.Where(n => !IsControlPlane(n)).Select(n => n.Metadata.Name!).OrderBy(n => n, StringComparer.Ordinal);
        foreach (var chunk in workers.Chunk(Math.Max(1, maxUnavailable)))
            batches.Add(new RolloutBatch(batches.Count, chunk.Select(w => new RolloutNode(w, NodeRole.Worker)).ToList()));
        return new RolloutPlan
        {
            Kind = RolloutKind.Maintain, MaxUnavailable = maxUnavailable, Maintenance = work,
            Hops = [new RolloutHop { Version = "", Batches = batches }],
        };
    }

    public static string Minor(string version)
    {
        var parts = version.TrimStart('v').Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : version;
    }
}
