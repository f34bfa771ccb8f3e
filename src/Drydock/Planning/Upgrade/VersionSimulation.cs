using Drydock.Planning.Inventory;
using Drydock.Versions;

namespace Drydock.Planning.Upgrade;

/// <summary>Component versions after one plan step: the step, and the cluster's versions at that moment.</summary>
public sealed record SimulatedState(int Hop, NodeUpgradeStep? Step, string Label, ClusterVersions Versions);

/// <summary>
/// Replays a plan over the snapshot's versions (pure): after each step, which kube-apiserver, controller-manager,
/// scheduler, kubelet and kube-proxy versions run where. Node components are folded into one representative
/// node per distinct (kubelet, kube-proxy) pair, and a state is emitted only when that picture changes, so a
/// 5,000-node plan replays in a handful of skew checks.
/// </summary>
public static class VersionSimulation
{
    /// <summary>The versions running now (every node; kubectl when given).</summary>
    public static ClusterVersions Current(ClusterSnapshot s, IEnumerable<ComponentInstance>? extra = null)
    {
        var state = new State(s);
        return state.ToVersions(fold: false, extra);
    }

    public static IReadOnlyList<SimulatedState> Replay(ClusterSnapshot s, UpgradePlan plan, IEnumerable<ComponentInstance>? extra = null)
    {
        var state = new State(s);
        var extraList = extra?.ToList() ?? [];
        var result = new List<SimulatedState>();
        string? lastSignature = null;
        for (var h = 0; h < plan.Hops.Count; h++)
        {
            var hop = plan.Hops[h];
            var lastControlPlaneStep = hop.Steps.LastOrDefault(x => x.Kind is NodeStepKind.ControlPlaneApply or NodeStepKind.ControlPlaneNode);
            foreach (var step in hop.Steps)
            {
                foreach (var node in step.Nodes)
                {
                    switch (step.Kind)
                    {
                        case NodeStepKind.ControlPlaneApply or NodeStepKind.ControlPlaneNode:
                            state.UpgradeStaticPods(node, hop.To);
                            break;
                        default:
                            state.UpgradeKubelet(node, hop.To);
                            break;
                    }
                }
                // kubeadm ≥ 1.28 upgrades the kube-proxy add-on only once every kube-apiserver runs the target
                // (k/k #116570), i.e. after the last control plane; older kubeadm did it in `apply`.
                if (step == lastControlPlaneStep || (hop.To.Minor < 28 && step.Kind == NodeStepKind.ControlPlaneApply))
                    state.UpgradeKubeProxy(hop.To);
                var signature = state.Signature();
                if (signature == lastSignature) continue;
                lastSignature = signature;
                var label = $"hop {h + 1} ({hop.From} → {hop.To}), after step {step.Index} ({string.Join(", ", Abbreviate(step.Nodes))}: {step.Description})";
                result.Add(new SimulatedState(h + 1, step, label, state.ToVersions(fold: true, extraList)));
            }
        }
        return result;
    }

    private static IEnumerable<string> Abbreviate(IReadOnlyList<string> nodes) =>
        nodes.Count <= 3 ? nodes : [nodes[0], nodes[1], $"… {nodes.Count - 2} more"];

    private sealed class State
    {
        private readonly List<(string Node, KubeVersion? Api, KubeVersion? Cm, KubeVersion? Sched)> controlPlane = [];
        private readonly string[] nodeNames;
        private readonly Dictionary<string, int> nodeIndex = new(StringComparer.Ordinal);
        private readonly KubeVersion?[] kubelet;
        private readonly KubeVersion?[] proxy;
        private readonly SortedDictionary<string, SortedSet<int>> pairs = new(StringComparer.Ordinal);

        public State(ClusterSnapshot s)
        {
            foreach (var c in s.ControlPlane)
                controlPlane.Add((c.Node, c.KubeApiserver?.Version, c.KubeControllerManager?.Version, c.KubeScheduler?.Version));
            nodeNames = s.Nodes.Select(n => n.Name).ToArray();
            kubelet = s.Nodes.Select(n => n.KubeletVersion).ToArray();
            proxy = new KubeVersion?[nodeNames.Length];
            for (var i = 0; i < nodeNames.Length; i++) nodeIndex.TryAdd(nodeNames[i], i);
            var proxyByNode = s.Pods.Where(p => p.Namespace == "kube-system" && p.Controller is { Kind: "DaemonSet", Name: "kube-proxy" } && p.NodeName is not null && p.Image is not null)
                                    .GroupBy(p => p.NodeName!).ToDictionary(g => g.Key, g => KubeVersion.TryParse(SnapshotBuilder.ImageTag(g.First().Image!), out _));
            for (var i = 0; i < nodeNames.Length; i++)
            {
                proxy[i] = proxyByNode.GetValueOrDefault(nodeNames[i]) ?? s.KubeProxyVersion;
                Add(i);
            }
        }

        public void UpgradeStaticPods(string node, KubeVersion to)
        {
            var i = controlPlane.FindIndex(c => c.Node == node);
            if (i >= 0) controlPlane[i] = (node, to, to, to);
        }

        public void UpgradeKubelet(string node, KubeVersion to)
        {
            if (!nodeIndex.TryGetValue(node, out var i)) return;
            Remove(i);
            kubelet[i] = to;
            Add(i);
        }

        public void UpgradeKubeProxy(KubeVersion to)
        {
            pairs.Clear();
            for (var i = 0; i < proxy.Length; i++) { proxy[i] = to; Add(i); }
        }

        private static string PairKey(KubeVersion? k, KubeVersion? p) => $"{k}|{p}";

        private void Add(int i)
        {
            var key = PairKey(kubelet[i], proxy[i]);
            if (!pairs.TryGetValue(key, out var set)) pairs[key] = set = [];
            set.Add(i);
        }

        private void Remove(int i)
        {
            var key = PairKey(kubelet[i], proxy[i]);
            if (pairs.TryGetValue(key, out var set) && set.Remove(i) && set.Count == 0) pairs.Remove(key);
        }

        public string Signature() =>
            string.Join(";", controlPlane.Select(c => $"{c.Api}/{c.Cm}/{c.Sched}")) + "#" + string.Join(";", pairs.Keys);

        public ClusterVersions ToVersions(bool fold, IEnumerable<ComponentInstance>? extra)
        {
            var list = new List<ComponentInstance>();
            foreach (var c in controlPlane)
            {
                if (c.Api is not null) list.Add(new(Component.KubeApiserver, c.Api, c.Node));
                if (c.Cm is not null) list.Add(new(Component.KubeControllerManager, c.Cm, c.Node));
                if (c.Sched is not null) list.Add(new(Component.KubeScheduler, c.Sched, c.Node));
            }
            IEnumerable<int> nodes = fold ? pairs.Values.Select(set => set.Min) : Enumerable.Range(0, nodeNames.Length);
            foreach (var i in nodes)
            {
                if (kubelet[i] is { } k) list.Add(new(Component.Kubelet, k, nodeNames[i]));
                if (proxy[i] is { } p) list.Add(new(Component.KubeProxy, p, nodeNames[i]));
            }
            if (extra is not null) list.AddRange(extra);
            return new ClusterVersions(list);
        }
    }
}
