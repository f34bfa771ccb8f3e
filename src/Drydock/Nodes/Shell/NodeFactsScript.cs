using System.Text.RegularExpressions;

namespace Drydock.Nodes.Shell;

/// <summary>
/// One read-only script that reports what a node is (package manager, installed and held Kubernetes packages,
/// repository minor, swap, boot id) as key=value lines, and its parser. One round trip instead of six.
/// </summary>
public static partial class NodeFactsScript
{
    public static readonly IReadOnlyList<string> KubePackages = ["kubeadm", "kubelet", "kubectl"];

    public static string Build(PackageRepository repo) =>
        "if command -v apt-get >/dev/null 2>&1; then echo pm=apt; " +
        "for p in kubeadm kubelet kubectl; do echo \"installed.$p=$(dpkg-query -W -f='${Version}' $p 2>/dev/null)\"; done; " +
        "echo \"held=$(apt-mark showhold 2>/dev/null | tr '\\n' ' ')\"; " +
        $"echo \"repo=$(cat {ShellQuote.Quote(repo.AptSourcesFile)} 2>/dev/null | head -n 1)\"; " +
        "else echo pm=yum; " +
        "for p in kubeadm kubelet kubectl; do echo \"installed.$p=$(rpm -q --qf '%{VERSION}' $p 2>/dev/null)\"; done; " +
        $"echo \"repo=$(grep -m1 '^baseurl=' {ShellQuote.Quote(repo.YumRepoFile)} 2>/dev/null)\"; fi; " +
        "echo \"bootid=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)\"; " +
        "echo \"swap=$(tail -n +2 /proc/swaps 2>/dev/null | wc -l)\"";

    public static NodeFacts Parse(string node, string stdout)
    {
        var kv = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1].Trim());
        var installed = new Dictionary<string, string>();
        foreach (var p in KubePackages)
            if (kv.TryGetValue("installed." + p, out var v) && v.Length > 0 && !v.Contains("not installed", StringComparison.Ordinal))
                installed[p] = StripRevision(v);
        var repoMinor = kv.TryGetValue("repo", out var repo) ? MinorInUrl().Match(repo) : null;
        return new NodeFacts
        {
            Node = node,
            PackageManager = kv.GetValueOrDefault("pm", "apt"),
            Installed = installed,
            Held = kv.TryGetValue("held", out var held) ? held.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [],
            RepositoryMinor = repoMinor is { Success: true } ? repoMinor.Groups[1].Value : null,
            SwapOn = kv.TryGetValue("swap", out var swap) && int.TryParse(swap, out var n) && n > 0,
            BootId = kv.TryGetValue("bootid", out var boot) && boot.Length > 0 ? boot : null,
        };
    }

    /// <summary>"1.28.4-1.1" → "1.28.4", "1:1.28.4-0" → "1.28.4": facts carry Kubernetes versions, not package revisions.</summary>
    public static string StripRevision(string packageVersion)
    {
        var v = packageVersion.Trim();
        var colon = v.IndexOf(':');
        if (colon >= 0) v = v[(colon + 1)..];
        var dash = v.IndexOf('-');
        return dash >= 0 ? v[..dash] : v;
    }

    [GeneratedRegex(@"/v(\d+\.\d+)/")]
    private static partial Regex MinorInUrl();
}
