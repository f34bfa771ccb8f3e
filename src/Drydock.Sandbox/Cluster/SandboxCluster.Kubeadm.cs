using System.Text.RegularExpressions;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

public sealed partial class SandboxCluster
{
    private static readonly Regex KubernetesVersionLine = new(@"kubernetesVersion:\s*""?(v?[0-9][^\s""]*)", RegexOptions.CultureInvariant);

    /// <summary>ClusterConfiguration.kubernetesVersion from kube-system/kubeadm-config, if present.</summary>
    internal string? ClusterConfigVersion()
    {
        var cm = Store.Get(ServedResource.ConfigMaps, "kube-system", "kubeadm-config");
        var text = cm.O("data").S("ClusterConfiguration");
        return text is null ? null : KubernetesVersionLine.Match(text) is { Success: true } m ? m.Groups[1].Value : null;
    }

    private void OnLoaded()
    {
        InitNodeHosts();
        if (!_heartbeatStarted)
        {
            _heartbeatStarted = true;
            _due.At(Time.GetUtcNow() + Options.NodeHeartbeatInterval, Heartbeat);
        }
    }

    private bool _heartbeatStarted;
    private readonly Dictionary<string, Kubeadm.NodeHost> _hosts = new(StringComparer.Ordinal);

    private void InitNodeHosts()
    {
        foreach (var node in Store.All(ServedResource.Nodes))
            if (!_hosts.ContainsKey(node.Name())) _hosts[node.Name()] = Kubeadm.NodeHost.FromNode(node);
    }

    /// <summary>The simulated machine of a node; null when no such node exists.</summary>
    internal Kubeadm.NodeHost? Host(string node)
    {
        lock (Store.Gate)
        {
            if (_hosts.TryGetValue(node, out var h)) return h;
            var obj = Store.Get(ServedResource.Nodes, null, node);
            if (obj is null) return null;
            return _hosts[node] = Kubeadm.NodeHost.FromNode(obj);
        }
    }
}
