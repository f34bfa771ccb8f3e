using Drydock.Nodes;
using Drydock.Sandbox.Kubeadm;

namespace Drydock.Sandbox.Cluster;

/// <summary>The command lines a real node runs for each step (apt on Debian/Ubuntu, yum on RHEL-likes), as in the
/// seed guides: pkgs.k8s.io per-minor repositories, hold/unhold around installs.</summary>
public sealed partial class SandboxCluster
{
    private static string CommandLine(NodeHost h, NodeStep step)
    {
        var apt = h.PackageManager == "apt";
        return step switch
        {
            QueryNodeFacts => apt
                ? "dpkg-query -W -f='${Package} ${Version}\\n' kubeadm kubelet kubectl; apt-mark showhold; swapon --show --noheadings; cat /proc/sys/kernel/random/boot_id"
                : "rpm -q kubeadm kubelet kubectl; yum versionlock list; swapon --show --noheadings; cat /proc/sys/kernel/random/boot_id",
            ListAvailableVersions lv => apt ? $"apt-cache madison {lv.Package}" : $"yum list --showduplicates {lv.Package} --disableexcludes=kubernetes",
            SwitchRepository sr => apt
                ? $"sed -i 's#/core:/stable:/v[0-9.]*/#/core:/stable:/v{sr.Minor}/#' /etc/apt/sources.list.d/kubernetes.list && apt-get update"
                : $"sed -i 's#/core:/stable:/v[0-9.]*/#/core:/stable:/v{sr.Minor}/#' /etc/yum.repos.d/kubernetes.repo && yum clean all",
            InstallPackages ip => Install(h, ip),
            KubeadmVersion => "kubeadm version -o short",
            KubeadmUpgradePlan p => p.Version is null ? "kubeadm upgrade plan" : $"kubeadm upgrade plan v{p.Version.TrimStart('v')}",
            KubeadmUpgradeApply a => $"kubeadm upgrade apply v{a.Version.TrimStart('v')} --yes" + (a.CertificateRenewal ? "" : " --certificate-renewal=false"),
            KubeadmUpgradeNode => "kubeadm upgrade node",
            RestartKubelet => "systemctl daemon-reload && systemctl restart kubelet",
            Reboot => "systemctl reboot",
            RunCommand rc => rc.Command,
            ReadFile rf => $"cat {rf.Path}",
            WriteFile wf => $"install -m {Convert.ToString(wf.Mode, 8)} /dev/stdin {wf.Path}",
            PutFile pf => $"cat > {pf.Path}.drydock-part && sha256sum -c && chmod {Convert.ToString(pf.Mode, 8)} {pf.Path}.drydock-part && mv {pf.Path}.drydock-part {pf.Path}   # stdin: {pf.SourcePath}, {pf.Length} bytes",
            _ => step.Describe(),
        };
    }

    private static string Install(NodeHost h, InstallPackages ip)
    {
        var v = KubeVersion.TryParse(ip.Version, out var parsed) ? parsed : new KubeVersion(0, 0, 0);
        var names = string.Join(' ', ip.Packages);
        if (h.PackageManager == "apt")
        {
            var pinned = string.Join(' ', ip.Packages.Select(p => $"{p}='{h.PackageVersion(v)}'"));
            return $"apt-mark unhold {names} && apt-get update && apt-get install -y {pinned} && apt-mark hold {names}";
        }
        var rpms = string.Join(' ', ip.Packages.Select(p => $"{p}-{h.PackageVersion(v)}"));
        return $"yum install -y {rpms} --disableexcludes=kubernetes";
    }
}
