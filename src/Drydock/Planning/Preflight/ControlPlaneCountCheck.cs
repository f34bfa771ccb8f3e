namespace Drydock.Planning.Preflight;

/// <summary>A single control plane means the API is down while its static pods restart: say so up front.</summary>
public sealed class ControlPlaneCountCheck : IPreflightCheck
{
    public string Name => "control-plane-count";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var cps = context.Snapshot.ControlPlaneNodes.Select(n => n.Name).ToList();
        return ValueTask.FromResult(cps.Count switch
        {
            0 => new PreflightResult { Check = Name, Status = PreflightStatus.Fail, Summary = "no control-plane nodes",
                Remedy = "label control-plane nodes node-role.kubernetes.io/control-plane" },
            1 => new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Warn, Summary = $"single control plane {cps[0]}: the API server is unavailable while it is upgraded",
                Evidence = ["kube-apiserver restarts during 'kubeadm upgrade apply' (typically one to several minutes); controllers and kubectl pause meanwhile"],
                Remedy = "schedule a maintenance window, or add control-plane nodes (kubeadm join --control-plane) for a rolling upgrade",
            },
            _ => PreflightResult.Pass(Name, $"{cps.Count} control-plane nodes: the API stays available while they upgrade one at a time"),
        });
    }
}
