namespace Drydock.Planning.Preflight;

/// <summary>Every control-plane node runs kube-apiserver, kube-controller-manager, kube-scheduler (and etcd, for stacked etcd) Running and Ready.</summary>
public sealed class ControlPlanePodsCheck : IPreflightCheck
{
    public string Name => "control-plane-pods";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var s = context.Snapshot;
        var stackedEtcd = s.ControlPlane.Any(c => c.Etcd is not null);
        var problems = new List<string>();
        var count = 0;
        foreach (var cp in s.ControlPlane)
        {
            foreach (var (component, pod) in new[] { ("kube-apiserver", cp.KubeApiserver), ("kube-controller-manager", cp.KubeControllerManager),
                                                      ("kube-scheduler", cp.KubeScheduler), ("etcd", cp.Etcd) })
            {
                if (component == "etcd" && !stackedEtcd) continue;
                count++;
                if (pod is null) problems.Add($"{cp.Node}: no {component} static pod");
                else if (pod.Phase != "Running" || !pod.Ready) problems.Add($"{pod.PodName}: {pod.Phase}, {(pod.Ready ? "Ready" : "not Ready")}");
            }
        }
        if (s.ControlPlane.Count == 0)
            return ValueTask.FromResult(new PreflightResult { Check = Name, Status = PreflightStatus.Fail, Summary = "no control-plane nodes with static pods found",
                Remedy = "label control-plane nodes node-role.kubernetes.io/control-plane (kubeadm does this at init/join)" });
        return ValueTask.FromResult(problems.Count == 0
            ? PreflightResult.Pass(Name, $"{count} static pods Running and Ready on {s.ControlPlane.Count} control-plane node(s)")
            : new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Fail, Summary = $"{problems.Count} control-plane pod(s) missing or not ready",
                Evidence = EvidenceList.Cap(problems), Remedy = "fix the control plane first: check /etc/kubernetes/manifests and the kubelet log on those nodes",
            });
    }
}
