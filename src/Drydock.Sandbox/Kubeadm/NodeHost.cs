using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Kubeadm;

/// <summary>
/// The machine behind a simulated node: installed/held packages, package manager, repository minor, swap, boot id,
/// an in-memory filesystem and the commands it ran. Loaded from the optional Node annotation
/// <see cref="FactsAnnotation"/> (JSON: packageManager, installed {kubeadm,kubelet,kubectl}, held[], repositoryMinor,
/// swapOn); anything missing is inferred from status.nodeInfo (kubeletVersion, osImage).
/// </summary>
internal sealed class NodeHost
{
    public const string FactsAnnotation = "sandbox.drydock.dev/node-facts";
    public static readonly string[] KubePackages = ["kubeadm", "kubelet", "kubectl"];

    public required string Name { get; init; }
    public required string PackageManager { get; set; }
    public bool IsControlPlane { get; init; }
    public Dictionary<string, KubeVersion> Installed { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);
    public required string RepositoryMinor { get; set; }
    public bool SwapOn { get; set; }
    public string BootId { get; set; } = "";
    /// <summary>The kubelet version actually running (changes only on kubelet restart).</summary>
    public required KubeVersion RunningKubelet { get; set; }
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);
    public List<string> CommandLog { get; } = [];
    /// <summary>Scripted failures for tests: a command containing the key exits with the value's code and stderr.</summary>
    public Dictionary<string, (int ExitCode, string Stderr)> ScriptedFailures { get; } = new(StringComparer.Ordinal);

    public static NodeHost FromNode(JsonObject node)
    {
        var info = node.Status().O("nodeInfo");
        var kubelet = KubeVersion.TryParse(info.S("kubeletVersion"), out var kv) ? kv : new KubeVersion(1, 27, 16);
        var os = info.S("osImage") ?? "";
        var apt = !(os.Contains("CentOS", StringComparison.OrdinalIgnoreCase) || os.Contains("Red Hat", StringComparison.OrdinalIgnoreCase)
                    || os.Contains("Rocky", StringComparison.OrdinalIgnoreCase) || os.Contains("Alma", StringComparison.OrdinalIgnoreCase)
                    || os.Contains("Amazon", StringComparison.OrdinalIgnoreCase) || os.Contains("Fedora", StringComparison.OrdinalIgnoreCase));
        var labels = node.Labels();
        var host = new NodeHost
        {
            Name = node.Name(),
            PackageManager = apt ? "apt" : "yum",
            IsControlPlane = labels.ContainsKey("node-role.kubernetes.io/control-plane") || labels.ContainsKey("node-role.kubernetes.io/master"),
            RepositoryMinor = kubelet.MinorString,
            RunningKubelet = kubelet,
            BootId = info.S("bootID") ?? "",
        };
        foreach (var p in KubePackages) { host.Installed[p] = kubelet; host.Held.Add(p); }
        if (node.Annotation(FactsAnnotation) is { } json && JsonNode.Parse(json) is JsonObject facts)
        {
            host.PackageManager = facts.S("packageManager") ?? host.PackageManager;
            foreach (var (k, v) in facts.O("installed").StringMap())
                if (KubeVersion.TryParse(v, out var pv)) host.Installed[k] = pv;
            if (facts.A("held") is { } held) { host.Held.Clear(); foreach (var h in held) if (h?.GetValue<string>() is { } s) host.Held.Add(s); }
            host.RepositoryMinor = facts.S("repositoryMinor") ?? host.RepositoryMinor;
            host.SwapOn = facts.B("swapOn") ?? false;
        }
        host.Files["/var/lib/kubelet/config.yaml"] = KubeletConfig(host.Installed.GetValueOrDefault("kubelet", kubelet));
        host.Files["/etc/kubernetes/kubelet.conf"] = "apiVersion: v1\nkind: Config\n";
        return host;
    }

    public static string KubeletConfig(KubeVersion written) =>
        $"apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n# written by kubeadm {written}\ncgroupDriver: systemd\n";

    /// <summary>The package's own version spelling in this repository family.</summary>
    public string PackageVersion(KubeVersion v) => PackageManager == "apt" ? $"{v.Plain}-1.1" : $"{v.Plain}-150500.1.1";
}
