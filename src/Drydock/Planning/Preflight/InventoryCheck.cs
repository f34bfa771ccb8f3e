namespace Drydock.Planning.Preflight;

/// <summary>Problems met while reading the cluster (missing kubeadm-config, unparsable versions) and a kubeadm-config that disagrees with the running control plane.</summary>
public sealed class InventoryCheck : IPreflightCheck
{
    public string Name => "inventory";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var s = context.Snapshot;
        var evidence = new List<string>(s.Warnings);
        if (s.KubeadmKubernetesVersion is { } k && s.ClusterVersion is { } c && !k.Equals(c))
            evidence.Add($"kubeadm-config kubernetesVersion {k} differs from the newest kube-apiserver {c} (an interrupted upgrade?)");
        if (evidence.Count == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, $"kubeadm-config kubernetesVersion {s.KubeadmKubernetesVersion}, {s.Nodes.Count} nodes, {s.Pods.Count} pods, {s.Pdbs.Count} PDBs"));
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Warn, Summary = $"{evidence.Count} inventory problem(s)", Evidence = EvidenceList.Cap(evidence),
            Remedy = "if kubeadm-config is missing, run 'kubeadm init phase upload-config kubeadm' on a control-plane node",
        });
    }
}
