using System.Text;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Kubeadm;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// <c>kubeadm upgrade plan|apply|node</c> on a simulated node, with kubeadm's rules: the kubeadm binary must be at
/// least the target (and not a newer minor), one minor at a time, no downgrade, kubelets within the supported skew,
/// control-plane nodes Ready. apply/node rewrite this node's static pods (mirror pod images), kubeadm-config and the
/// kubelet config; addons (kube-proxy, CoreDNS) move only once every kube-apiserver runs the target.
/// </summary>
public sealed partial class SandboxCluster
{
    private KubeVersion ClusterVersion() =>
        KubeVersion.TryParse(ClusterConfigVersion(), out var v) ? v : KubeVersion.Parse(ApiServerVersion);

    private StepOutcome UpgradePlan(NodeHost h, string? requested)
    {
        if (!h.IsControlPlane) return StaticPodsMissing();
        var cluster = ClusterVersion();
        var kubeadm = h.Installed.GetValueOrDefault("kubeadm");
        KubeVersion target;
        if (requested is not null) { if (!KubeVersion.TryParse(requested, out target)) return StepOutcome.Fail(1, $"[upgrade/versions] FATAL: invalid version \"{requested}\""); }
        else target = kubeadm.Minor > cluster.Minor ? kubeadm : new KubeVersion(cluster.Major, cluster.Minor, KubeadmCatalog.Latest(cluster.Minor));
        var sb = new StringBuilder();
        sb.Append("[upgrade/config] Making sure the configuration is correct:\n[preflight] Running pre-flight checks.\n");
        sb.Append($"[upgrade] Running cluster health checks\n[upgrade] Fetching available versions to upgrade to\n");
        sb.Append($"[upgrade/versions] Cluster version: {cluster}\n[upgrade/versions] kubeadm version: {kubeadm}\n");
        if (target <= cluster) { sb.Append("Awesome, you're up-to-date! Enjoy!\n"); return StepOutcome.Ok(sb.ToString()); }
        sb.Append("\nComponents that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':\n");
        sb.Append("COMPONENT   NODE   CURRENT   TARGET\n");
        foreach (var n in Store.All(ServedResource.Nodes))
            sb.Append($"kubelet     {n.Name()}   {n.Status().O("nodeInfo").S("kubeletVersion")}   {target}\n");
        sb.Append($"\nUpgrade to the latest version in the v{target.MinorString} series:\n\nCOMPONENT                 NODE   CURRENT   TARGET\n");
        foreach (var p in MirrorPods().Where(p => p.Labels().GetValueOrDefault("component") is "kube-apiserver" or "kube-controller-manager" or "kube-scheduler" or "etcd"))
            sb.Append($"{p.Labels()["component"],-25} {p.Spec().S("nodeName")}   {ImageTag(p)}   {(p.Labels()["component"] == "etcd" ? KubeadmCatalog.EtcdFor(target.Minor) : target.ToString())}\n");
        sb.Append($"kube-proxy                       {cluster}   {target}\nCoreDNS                          {CoreDnsTag()}   {KubeadmCatalog.CoreDnsFor(target.Minor)}\n");
        sb.Append($"\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply {target}\n\n");
        if (kubeadm < target) sb.Append($"Note: Before you can perform this upgrade, you have to update kubeadm to {target}.\n");
        return StepOutcome.Ok(sb.ToString());
    }

    private StepOutcome UpgradeApply(NodeHost h, string version)
    {
        if (!h.IsControlPlane) return StaticPodsMissing();
        if (!KubeVersion.TryParse(version, out var target)) return StepOutcome.Fail(1, $"[upgrade/version] FATAL: the version \"{version}\" is not a valid Kubernetes version");
        var cluster = ClusterVersion();
        var kubeadm = h.Installed.GetValueOrDefault("kubeadm");
        var notReady = Store.All(ServedResource.Nodes)
            .Where(n => n.Labels().ContainsKey("node-role.kubernetes.io/control-plane") && !NodeReady(n)).Select(n => n.Name()).ToList();
        if (notReady.Count > 0)
            return StepOutcome.Fail(1, $"[preflight] Some fatal errors occurred:\n\t[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [{string.Join(' ', notReady)}]");
        string? error = null;
        if (target > kubeadm)
            error = $"Specified version to upgrade to \"{target}\" is higher than the kubeadm version \"{kubeadm}\". Upgrade kubeadm first using the tool you used to install kubeadm";
        else if (kubeadm.Minor > target.Minor)
            error = $"Kubeadm version {kubeadm} can only be used to upgrade to Kubernetes version {kubeadm.Major}.{kubeadm.Minor}";
        else if (target.Minor > cluster.Minor + 1)
            error = $"Specified version to upgrade to \"{target}\" is too high; kubeadm can upgrade only 1 minor version at a time";
        else if (target.Minor < cluster.Minor)
            error = $"Specified version to downgrade to \"{target}\" is too low; kubeadm can downgrade only 1 minor version at a time";
        else if (target < cluster)
            error = $"Specified version to upgrade to \"{target}\" is equal to or lower than the cluster version \"{cluster}\". Downgrading versions with kubeadm is not supported and will result in improper cluster status.";
        else
        {
            var skew = KubeadmCatalog.KubeletSkew(target.Minor);
            var old = Store.All(ServedResource.Nodes).Select(n => n.Status().O("nodeInfo").S("kubeletVersion"))
                .Select(v => KubeVersion.TryParse(v, out var kv) ? kv : target).Where(kv => target.Minor - kv.Minor > skew).ToList();
            if (old.Count > 0) error = $"Kubelet version \"{old.Min()}\" is lower than kubeadm can support. Please upgrade kubelet";
        }
        if (error is not null)
            return StepOutcome.Fail(1, $"[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n\t- {error}\n\nCan be bypassed if you pass the --force flag\nTo see the stack trace of this error execute with --v=5 or higher");
        var log = new StringBuilder();
        log.Append($"[upgrade/config] Making sure the configuration is correct:\n[preflight] Running pre-flight checks.\n[upgrade] Running cluster health checks\n");
        log.Append($"[upgrade/version] You have chosen to change the cluster version to \"{target}\"\n[upgrade/versions] Cluster version: {cluster}\n[upgrade/versions] kubeadm version: {kubeadm}\n");
        log.Append($"[upgrade/apply] Upgrading your Static Pod-hosted control plane to version \"{target}\"...\n");
        UpgradeStaticPods(h, target, log);
        SetClusterConfigVersion(target);
        WriteKubeletConfig(h, target, log);
        UpgradeAddons(target, log);
        log.Append($"\n[upgrade/successful] SUCCESS! Your cluster was upgraded to \"{target}\". Enjoy!\n\n[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets if you haven't already done so.\n");
        return StepOutcome.Ok(log.ToString());
    }

    private StepOutcome UpgradeNode(NodeHost h)
    {
        var target = ClusterVersion();
        var kubeadm = h.Installed.GetValueOrDefault("kubeadm");
        var log = new StringBuilder("[upgrade] Reading configuration from the cluster...\n[preflight] Running pre-flight checks\n");
        if (h.IsControlPlane)
        {
            if (kubeadm < target)
                return StepOutcome.Fail(1, $"[upgrade/version] FATAL: the kubeadm version \"{kubeadm}\" is lower than the cluster version \"{target}\". Upgrade kubeadm first");
            log.Append($"[upgrade] Upgrading your Static Pod-hosted control plane instance to version \"{target}\"...\n");
            UpgradeStaticPods(h, target, log);
            UpgradeAddons(target, log);
        }
        else log.Append("[preflight] Skipping prepull. Not a control plane node.\n[upgrade] Skipping phase. Not a control plane node.\n");
        WriteKubeletConfig(h, target, log);
        log.Append("[upgrade] The configuration for this node was successfully updated!\n[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.\n");
        return StepOutcome.Ok(log.ToString());
    }

    private static StepOutcome StaticPodsMissing() => StepOutcome.Fail(1,
        "[upgrade/health] FATAL: [preflight] Some fatal errors occurred:\n\t[ERROR StaticPodManifest]: The control plane seems to be Static Pod-hosted, but some of the manifests don't seem to exist on disk. This probably means you're running 'kubeadm upgrade' on a remote machine, which is not supported for a Static Pod-hosted cluster.");

    private List<JsonObject> MirrorPods() =>
        Store.All(ServedResource.Pods, "kube-system").Where(p => p.Annotation(MirrorAnnotation) is not null).ToList();

    private static string ImageTag(JsonObject pod) =>
        (pod.Spec().A("containers")?.OfType<JsonObject>().FirstOrDefault()?.S("image") ?? "").Split(':').LastOrDefault() ?? "";

    private string CoreDnsTag() =>
        Store.Get(ServedResource.Deployments, "kube-system", "coredns") is { } d
            ? (d.Spec().O("template").O("spec").A("containers")?.OfType<JsonObject>().FirstOrDefault()?.S("image") ?? "").Split(':').Last()
            : "";

    private void UpgradeStaticPods(NodeHost h, KubeVersion target, StringBuilder log)
    {
        foreach (var pod in MirrorPods().Where(p => p.Spec().S("nodeName") == h.Name))
        {
            var component = pod.Labels().GetValueOrDefault("component") ?? "";
            var tag = component == "etcd" ? KubeadmCatalog.EtcdFor(target.Minor) : target.ToString();
            if (component == "etcd" && string.CompareOrdinal(tag, ImageTag(pod)) < 0)
            {
                log.Append($"[upgrade/etcd] Not upgrading etcd: the desired etcd version \"{tag}\" is older than the currently installed \"{ImageTag(pod)}\". Won't downgrade etcd, instead just continue\n");
                continue;
            }
            if (component is not ("etcd" or "kube-apiserver" or "kube-controller-manager" or "kube-scheduler")) continue;
            if (tag == ImageTag(pod)) { log.Append($"[upgrade/staticpods] Current and new manifests of {component} are equal, skipping upgrade\n"); continue; }
            var image = ReplaceTag(pod.Spec().A("containers")!.OfType<JsonObject>().First().S("image")!, tag);
            var hash = $"{(uint)(image + h.Name).GetHashCode(StringComparison.Ordinal):x8}";
            var now = Obj.Time(Time.GetUtcNow());
            Store.Mutate(ServedResource.Pods, "kube-system", pod.Name(), p =>
            {
                p.Spec()!.A("containers")!.OfType<JsonObject>().First()["image"] = image;
                var ann = p.Meta().Ensure("annotations");
                ann["kubernetes.io/config.hash"] = hash;
                ann["kubernetes.io/config.mirror"] = hash;
                foreach (var cs in (p.Status().A("containerStatuses") ?? []).OfType<JsonObject>())
                {
                    cs["image"] = image;
                    cs["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
                }
            });
            h.Files[$"/etc/kubernetes/manifests/{component}.yaml"] = $"# {component} static pod\nimage: {image}\n";
            log.Append($"[upgrade/staticpods] Moved new manifest to \"/etc/kubernetes/manifests/{component}.yaml\" and backed up old manifest\n[upgrade/staticpods] Component \"{component}\" upgraded successfully!\n");
        }
        var apiservers = MirrorPods().Where(p => p.Labels().GetValueOrDefault("component") == "kube-apiserver")
            .Select(p => KubeVersion.TryParse(ImageTag(p), out var v) ? v : target).ToList();
        if (apiservers.Count > 0) ApiServerVersion = apiservers.Min().ToString();
    }

    private static string ReplaceTag(string image, string tag)
    {
        var colon = image.LastIndexOf(':');
        return (colon > image.LastIndexOf('/') ? image[..colon] : image) + ":" + tag;
    }

    private void SetClusterConfigVersion(KubeVersion target) =>
        Store.Mutate(ServedResource.ConfigMaps, "kube-system", "kubeadm-config", cm =>
        {
            var data = cm.Ensure("data");
            var text = data.S("ClusterConfiguration") ?? "";
            data["ClusterConfiguration"] = KubernetesVersionLine.IsMatch(text)
                ? KubernetesVersionLine.Replace(text, $"kubernetesVersion: {target}")
                : text + $"kubernetesVersion: {target}\n";
        });

    private static void WriteKubeletConfig(NodeHost h, KubeVersion target, StringBuilder log)
    {
        h.Files["/var/lib/kubelet/config.yaml"] = NodeHost.KubeletConfig(target);
        log.Append("[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-config.yaml\n[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n");
    }

    /// <summary>kube-proxy and CoreDNS follow only when every kube-apiserver runs the target (kubeadm ≥ 1.28).</summary>
    private void UpgradeAddons(KubeVersion target, StringBuilder log)
    {
        var behind = MirrorPods().Where(p => p.Labels().GetValueOrDefault("component") == "kube-apiserver" && ImageTag(p) != target.ToString())
            .Select(p => p.Spec().S("nodeName")).ToList();
        if (behind.Count > 0)
        {
            log.Append($"[upgrade/addons] skip upgrade addons because control plane instances [{string.Join(' ', behind)}] have not been upgraded\n");
            return;
        }
        SetImage(ServedResource.DaemonSets, "kube-proxy", target.ToString());
        SetImage(ServedResource.Deployments, "coredns", KubeadmCatalog.CoreDnsFor(target.Minor));
        log.Append("[addons] Applied essential addon: CoreDNS\n[addons] Applied essential addon: kube-proxy\n");
    }

    private void SetImage(ServedResource r, string name, string tag) =>
        Store.Mutate(r, "kube-system", name, o =>
        {
            foreach (var c in (o.Spec().O("template").O("spec").A("containers") ?? []).OfType<JsonObject>())
                if (c.S("image") is { } img) c["image"] = ReplaceTag(img, tag);
        });
}
