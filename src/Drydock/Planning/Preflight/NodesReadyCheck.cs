namespace Drydock.Planning.Preflight;

/// <summary>All nodes Ready (kubeadm's documented "all nodes are in the Ready state"); cordoned nodes are noted, they lend no capacity.</summary>
public sealed class NodesReadyCheck : IPreflightCheck
{
    public string Name => "nodes-ready";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var nodes = context.Snapshot.Nodes;
        var notReady = nodes.Where(n => !n.Ready).Select(n => $"{n.Name}: NotReady").ToList();
        var cordoned = nodes.Where(n => n.Unschedulable).Select(n => $"{n.Name}: SchedulingDisabled (cordoned before the upgrade; left cordoned)").ToList();
        if (notReady.Count > 0)
            return ValueTask.FromResult(new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Fail, Summary = $"{notReady.Count} of {nodes.Count} nodes NotReady",
                Evidence = EvidenceList.Cap([.. notReady, .. cordoned]),
                Remedy = "bring the nodes back (systemctl status kubelet; journalctl -u kubelet) or remove them with 'kubectl delete node'",
            });
        if (cordoned.Count > 0)
            return ValueTask.FromResult(new PreflightResult
            {
                Check = Name, Status = PreflightStatus.Warn, Summary = $"{nodes.Count} nodes Ready, {cordoned.Count} cordoned",
                Evidence = EvidenceList.Cap(cordoned), Remedy = "uncordon nodes that should take evicted pods",
            });
        return ValueTask.FromResult(PreflightResult.Pass(Name, $"{nodes.Count} of {nodes.Count} nodes Ready"));
    }
}
