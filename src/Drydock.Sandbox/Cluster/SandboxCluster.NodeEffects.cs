using System.Text;
using Drydock.Nodes;
using Drydock.Sandbox.Kubeadm;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

public sealed partial class SandboxCluster
{
    private StepOutcome Apply(NodeHost h, NodeStep step) => step switch
    {
        QueryNodeFacts => StepOutcome.Ok(string.Join('\n', h.Installed.Select(kv => $"{kv.Key} {h.PackageVersion(kv.Value)}")) + "\n"),
        ListAvailableVersions lv => ListVersions(h, lv.Package),
        SwitchRepository sr => SwitchRepo(h, sr.Minor),
        InstallPackages ip => InstallPackagesOn(h, ip),
        KubeadmVersion => StepOutcome.Ok(h.Installed.TryGetValue("kubeadm", out var kv) ? kv + "\n" : ""),
        KubeadmUpgradePlan p => UpgradePlan(h, p.Version),
        KubeadmUpgradeApply a => UpgradeApply(h, a.Version),
        KubeadmUpgradeNode => UpgradeNode(h),
        RestartKubelet => RestartKubeletOn(h),
        Reboot => RebootNode(h),
        RunCommand rc => RunOperatorCommand(h, rc.Command),
        ReadFile rf => h.Files.TryGetValue(rf.Path, out var content) ? StepOutcome.Ok(content) : StepOutcome.Fail(1, $"cat: {rf.Path}: No such file or directory"),
        WriteFile wf => Write(h, wf),
        _ => StepOutcome.Fail(127, $"{step.GetType().Name}: not supported by the sandbox node agent"),
    };

    private static StepOutcome Write(NodeHost h, WriteFile wf)
    {
        h.Files[wf.Path] = wf.Content;
        return StepOutcome.Ok();
    }

    private static StepOutcome ListVersions(NodeHost h, string package)
    {
        var versions = Available(h, package);
        if (versions.Count == 0)
            return h.PackageManager == "apt" ? StepOutcome.Fail(0, $"N: Unable to locate package {package}") : StepOutcome.Fail(1, "Error: No matching Packages to list");
        var sb = new StringBuilder();
        foreach (var v in versions.Reverse())
            sb.Append(h.PackageManager == "apt"
                ? $"   {package} | {h.PackageVersion(v)} | https://pkgs.k8s.io/core:/stable:/v{h.RepositoryMinor}/deb  Packages\n"
                : $"{package}.x86_64    {h.PackageVersion(v)}    kubernetes\n");
        return StepOutcome.Ok(sb.ToString());
    }

    private StepOutcome SwitchRepo(NodeHost h, string minor)
    {
        if (!KubeVersion.TryParse(minor, out var m)) return StepOutcome.Fail(2, $"invalid minor \"{minor}\"");
        var cluster = KubeVersion.Parse(ApiServerVersion);
        if (m.Major != cluster.Major || m.Minor < cluster.Minor - 1 || m.Minor > cluster.Minor + 3)
            return StepOutcome.Fail(100, $"E: Failed to fetch https://pkgs.k8s.io/core:/stable:/v{m.MinorString}/deb/InRelease  404  Not Found");
        h.RepositoryMinor = m.MinorString;
        return StepOutcome.Ok($"Hit:1 https://pkgs.k8s.io/core:/stable:/v{m.MinorString}/deb  InRelease\nReading package lists... Done\n");
    }

    private static StepOutcome InstallPackagesOn(NodeHost h, InstallPackages ip)
    {
        if (!KubeVersion.TryParse(ip.Version, out var v)) return StepOutcome.Fail(100, $"E: Invalid version '{ip.Version}'");
        var offered = KubeVersion.TryParse(h.RepositoryMinor, out var repo) && repo.Major == v.Major && repo.Minor == v.Minor
            && KubeadmCatalog.Offered(v.Major, v.Minor).Contains(v);
        foreach (var p in ip.Packages)
        {
            if (!NodeHost.KubePackages.Contains(p)) return StepOutcome.Fail(100, $"E: Unable to locate package {p}");
            if (!offered)
                return h.PackageManager == "apt"
                    ? StepOutcome.Fail(100, $"E: Version '{h.PackageVersion(v)}' for '{p}' was not found")
                    : StepOutcome.Fail(1, $"Error: Unable to find a match: {p}-{h.PackageVersion(v)}");
        }
        var sb = new StringBuilder();
        foreach (var p in ip.Packages)
        {
            var old = h.Installed.GetValueOrDefault(p);
            h.Installed[p] = v;
            h.Held.Add(p);
            sb.Append(h.PackageManager == "apt"
                ? $"Setting up {p} ({h.PackageVersion(v)}) ...\n"
                : $"Upgraded: {p}-{h.PackageVersion(old)} -> {p}-{h.PackageVersion(v)}\n");
        }
        if (h.PackageManager == "apt") sb.Append(string.Join('\n', ip.Packages.Select(p => $"{p} set on hold."))).Append('\n');
        return StepOutcome.Ok(sb.ToString());
    }

    private StepOutcome RestartKubeletOn(NodeHost h)
    {
        KubeletOutage(h.Name, Options.KubeletRestartDuration, reboot: false, whenBack: () => ReportKubelet(h));
        return StepOutcome.Ok();
    }

    private StepOutcome RebootNode(NodeHost h)
    {
        _rebooting.Add(h.Name);
        KubeletOutage(h.Name, Options.RebootDuration, reboot: true, whenBack: () =>
        {
            _rebooting.Remove(h.Name);
            h.BootId = NewBootId();
            ReportKubelet(h);
        });
        return StepOutcome.Ok();
    }

    private string NewBootId() => Store.NewId();

    /// <summary>A (re)started kubelet reports the installed kubelet version, the boot id, and the kubelet config it read.</summary>
    private void ReportKubelet(NodeHost h)
    {
        if (h.Installed.TryGetValue("kubelet", out var v)) h.RunningKubelet = v;
        Store.Mutate(ServedResource.Nodes, null, h.Name, n =>
        {
            var info = n.Own("status").Own("nodeInfo");
            info["kubeletVersion"] = h.RunningKubelet.ToString();
            info["kubeProxyVersion"] = h.RunningKubelet.ToString();
            if (h.BootId.Length > 0) info["bootID"] = h.BootId;
        }, shared: true);
    }

    private StepOutcome RunOperatorCommand(NodeHost h, string command)
    {
        if (command.Contains("etcdctl", StringComparison.Ordinal) && command.Contains(" snapshot save ", StringComparison.Ordinal))
            return SaveEtcdSnapshot(h, command);
        if (command.Trim() == "swapoff -a") h.SwapOn = false;
        // File checks and copies on the node's simulated file system (certificate checks and renewal backups).
        var test = System.Text.RegularExpressions.Regex.Match(command, @"^test -e '([^']*)'$");
        if (test.Success) return h.Files.ContainsKey(test.Groups[1].Value) ? StepOutcome.Ok() : StepOutcome.Fail(1, "");
        var copy = System.Text.RegularExpressions.Regex.Match(command, @"^cp -p -- '([^']*)' '([^']*)'$");
        if (copy.Success)
        {
            if (!h.Files.TryGetValue(copy.Groups[1].Value, out var source)) return StepOutcome.Fail(1, $"cp: cannot stat '{copy.Groups[1].Value}': No such file or directory");
            h.Files[copy.Groups[2].Value] = source;
            return StepOutcome.Ok();
        }
        if (command.StartsWith("cat ", StringComparison.Ordinal) && h.Files.TryGetValue(command[4..].Trim(), out var content))
            return StepOutcome.Ok(content);
        return StepOutcome.Ok();
    }

    /// <summary>
    /// A control plane's `etcdctl snapshot save FILE … && etcdctl snapshot status FILE -w json` (the pre-upgrade
    /// backup): the "snapshot" is the store's object count and revision, written to the node's file system, and the
    /// status line has etcdctl's JSON shape. Workers have no etcd and fail as etcdctl does without a server.
    /// </summary>
    private StepOutcome SaveEtcdSnapshot(NodeHost h, string command)
    {
        if (!h.IsControlPlane)
            return StepOutcome.Fail(1, "Error: context deadline exceeded (no etcd member on this node)");
        var match = System.Text.RegularExpressions.Regex.Match(command, @" snapshot save '([^']+)'");
        if (!match.Success) match = System.Text.RegularExpressions.Regex.Match(command, @" snapshot save (\S+)");
        var path = match.Groups[1].Value;
        var revision = Store.ResourceVersion;
        var keys = ServedResource.All.Sum(Store.Count) + 5; // + etcd's own bookkeeping entries, as etcdctl counts them
        var size = (long)Math.Max(1, keys) * 4096;
        var hash = System.Numerics.BitOperations.Crc32C((uint)keys, (ulong)revision);
        h.Files[path] = $"sandbox etcd snapshot revision {revision}";
        return StepOutcome.Ok($"{{\"hash\":{hash},\"revision\":{revision},\"totalKey\":{keys},\"totalSize\":{size}}}\n");
    }
}
