using Drydock.Nodes;
using Drydock.Planning.Inventory;
using Drydock.Versions;

namespace Drydock.Planning.Upgrade;

/// <summary>
/// Turns a snapshot and the hops of an <see cref="UpgradePath"/> into an ordered <see cref="UpgradePlan"/>
/// (pure). Order per hop, as the kubeadm upgrade guide: first control plane <c>kubeadm upgrade apply</c>,
/// other control planes <c>kubeadm upgrade node</c> one at a time, then kubelets (control planes, then
/// workers in batches of <c>--max-unavailable</c>).
/// </summary>
public static class UpgradePlanner
{
    public static UpgradePlan Plan(ClusterSnapshot snapshot, KubeVersion current, IReadOnlyList<UpgradeHop> hops, UpgradePlanOptions options)
    {
        var controlPlanes = snapshot.ControlPlaneNodes.ToList();
        var workers = snapshot.WorkerNodes.ToList();
        var batchSize = options.MaxUnavailable.Resolve(workers.Count);
        var batches = options.BatchStrategy.Batch(workers, batchSize, snapshot);
        var hopPlans = new List<HopPlan>();
        var components = CurrentComponents(snapshot);
        foreach (var hop in hops)
        {
            hopPlans.Add(new HopPlan
            {
                From = hop.From,
                To = hop.To,
                Components = Targets(snapshot, hop, hopPlans.Count == 0 ? components : null),
                Steps = Steps(hop.To, controlPlanes, batches),
            });
        }
        return new UpgradePlan
        {
            ClusterVersion = current,
            Target = hops.Count == 0 ? current : hops[^1].To,
            Hops = hopPlans,
            MaxUnavailable = options.MaxUnavailable.ToString(),
            BatchSize = batchSize,
            BatchStrategy = options.BatchStrategy.Name,
        };
    }

    private static List<NodeUpgradeStep> Steps(KubeVersion to, List<NodeState> controlPlanes, IReadOnlyList<IReadOnlyList<NodeState>> batches)
    {
        var v = to.Bare;
        var steps = new List<NodeUpgradeStep>();
        NodeStep[] kubeadm = [new SwitchRepository(to.MinorString), new InstallPackages(["kubeadm"], v)];
        NodeStep[] kubelet = [new InstallPackages(["kubelet", "kubectl"], v), new RestartKubelet()];
        for (var i = 0; i < controlPlanes.Count; i++)
        {
            var apply = i == 0;
            NodeStep upgrade = apply ? new KubeadmUpgradeApply(v) : new KubeadmUpgradeNode();
            steps.Add(Step(steps.Count + 1, apply ? NodeStepKind.ControlPlaneApply : NodeStepKind.ControlPlaneNode,
                [controlPlanes[i].Name], upgrade.Describe(), drain: false, [.. kubeadm, upgrade], []));
        }
        foreach (var cp in controlPlanes)
            steps.Add(Step(steps.Count + 1, NodeStepKind.ControlPlaneKubelet, [cp.Name], $"kubelet {to}", drain: true, [], kubelet));
        foreach (var batch in batches)
            steps.Add(Step(steps.Count + 1, NodeStepKind.WorkerBatch, batch.Select(n => n.Name).ToList(),
                $"kubeadm upgrade node, kubelet {to}", drain: true, [.. kubeadm, new KubeadmUpgradeNode()], kubelet));
        return steps;
    }

    private static NodeUpgradeStep Step(int index, NodeStepKind kind, IReadOnlyList<string> nodes, string description, bool drain,
        IReadOnlyList<NodeStep> before, IReadOnlyList<NodeStep> after)
    {
        var actions = before.Select(s => s.Describe()).ToList();
        if (drain) actions.Add("drain");
        actions.AddRange(after.Select(s => s.Describe()));
        if (drain) actions.Add("uncordon");
        return new NodeUpgradeStep
        {
            Index = index, Kind = kind, Nodes = nodes, Description = description, Drain = drain,
            BeforeDrain = before, AfterDrain = after, Actions = actions,
        };
    }

    private sealed record CurrentState(string? Etcd, string? CoreDns);

    private static CurrentState CurrentComponents(ClusterSnapshot s) =>
        new(s.ControlPlane.Select(c => c.Etcd?.Tag).OfType<string>().DefaultIfEmpty().Max(AddonComparer), s.CoreDnsVersion);

    private static readonly Comparer<string?> AddonComparer = Comparer<string?>.Create((a, b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : AddonVersions.CompareEtcd(a, b));

    /// <summary>kubeadm's plan table for a hop. The first hop shows the snapshot's versions; later hops start from the previous target.</summary>
    private static ComponentTargets Targets(ClusterSnapshot s, UpgradeHop hop, CurrentState? now)
    {
        var to = hop.To.ToString();
        var rows = new List<ComponentRow>();
        if (now is not null)
        {
            var kubelets = s.Nodes.GroupBy(n => n.KubeletVersion?.ToString() ?? n.KubeletVersionText)
                                  .Select(g => new VersionCount(g.Key, g.Count())).OrderBy(g => g.Version, StringComparer.Ordinal).ToList();
            foreach (var (component, pick) in new (string, Func<ControlPlaneNode, StaticPodState?>)[]
                     { ("kube-apiserver", c => c.KubeApiserver), ("kube-controller-manager", c => c.KubeControllerManager), ("kube-scheduler", c => c.KubeScheduler) })
                rows.AddRange(PerNodeRows(s, component, pick, _ => to));
            rows.Add(new ComponentRow("kube-proxy", null, s.KubeProxyVersion?.ToString() ?? s.KubeProxyImage ?? "-", to));
            rows.Add(new ComponentRow("CoreDNS", null, now.CoreDns ?? "-", AddonVersions.CoreDnsFor(hop.To, now.CoreDns)));
            if (s.ControlPlane.Any(c => c.Etcd is not null))
                rows.AddRange(PerNodeRows(s, "etcd", c => c.Etcd, cur => AddonVersions.EtcdFor(hop.To, cur)));
            return new ComponentTargets { Kubelets = kubelets, KubeletTarget = hop.To, ControlPlane = rows };
        }
        var from = hop.From.ToString();
        foreach (var c in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy" })
            rows.Add(new ComponentRow(c, null, from, to));
        rows.Add(new ComponentRow("CoreDNS", null, AddonVersions.CoreDnsFor(hop.From, s.CoreDnsVersion), AddonVersions.CoreDnsFor(hop.To, s.CoreDnsVersion)));
        if (s.ControlPlane.Any(c => c.Etcd is not null))
        {
            var etcdNow = s.ControlPlane.Select(c => c.Etcd?.Tag).OfType<string>().DefaultIfEmpty().Max(AddonComparer);
            var before = AddonVersions.EtcdFor(hop.From, etcdNow);
            rows.Add(new ComponentRow("etcd", null, before, AddonVersions.EtcdFor(hop.To, before)));
        }
        return new ComponentTargets { Kubelets = [new VersionCount(from, s.Nodes.Count)], KubeletTarget = hop.To, ControlPlane = rows };
    }

    /// <summary>One row when every control plane agrees, else one per node (kubeadm ≥ 1.30 prints per node).</summary>
    private static IEnumerable<ComponentRow> PerNodeRows(ClusterSnapshot s, string component, Func<ControlPlaneNode, StaticPodState?> pick, Func<string?, string> target)
    {
        var present = s.ControlPlane.Select(c => (c.Node, Pod: pick(c))).Where(x => x.Pod is not null).ToList();
        if (present.Count == 0) return [new ComponentRow(component, null, "-", target(null))];
        if (present.Select(x => x.Pod!.Tag).Distinct().Count() == 1)
            return [new ComponentRow(component, null, present[0].Pod!.Tag, target(present[0].Pod!.Tag))];
        return present.Select(x => new ComponentRow(component, x.Node, x.Pod!.Tag, target(x.Pod!.Tag)));
    }
}
