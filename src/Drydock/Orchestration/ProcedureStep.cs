using Drydock.Nodes;

namespace Drydock.Orchestration;

/// <summary>
/// One step of a node procedure. <see cref="Id"/> is stable across versions of Drydock (it is what the run state
/// records as done); <see cref="Describe"/> is for people.
/// </summary>
public abstract record ProcedureStep(string Id)
{
    public abstract string Describe();
}

/// <summary>A step the node agent performs (package install, kubeadm, systemctl, operator command, reboot).</summary>
public sealed record AgentProcedureStep(string Id, NodeStep Step) : ProcedureStep(Id)
{
    public override string Describe() => Step.Describe();
}

public sealed record CordonProcedureStep() : ProcedureStep(StepIds.Cordon) { public override string Describe() => "cordon"; }

/// <summary>Cordon + evict, honouring PodDisruptionBudgets (kubectl drain --ignore-daemonsets).</summary>
public sealed record DrainProcedureStep() : ProcedureStep(StepIds.Drain) { public override string Describe() => "drain"; }

/// <summary>Uncordon — unless the node was already cordoned before Drydock touched it (kured's rule).</summary>
public sealed record UncordonProcedureStep() : ProcedureStep(StepIds.Uncordon) { public override string Describe() => "uncordon"; }

/// <summary>Health gate: Node Ready (and, when given, reporting this kubelet version).</summary>
public sealed record WaitReadyProcedureStep(string? KubeletVersion) : ProcedureStep(StepIds.WaitReady)
{
    public override string Describe() => KubeletVersion is null ? "wait for Ready" : $"wait for Ready at v{KubeletVersion}";
}

/// <summary>Wait until the node reports a boot id different from the one recorded before maintenance, and Ready.</summary>
public sealed record WaitRebootProcedureStep() : ProcedureStep(StepIds.WaitReboot) { public override string Describe() => "wait for reboot"; }

/// <summary>Health gate for control planes: the node's static pods Ready at the version, and the API server answering.</summary>
public sealed record ControlPlaneHealthProcedureStep(string Version) : ProcedureStep(StepIds.ControlPlaneHealth)
{
    public override string Describe() => $"control plane healthy at v{Version}";
}

public static class StepIds
{
    public const string SwitchRepository = "switch-repository";
    public const string InstallKubeadm = "install-kubeadm";
    public const string KubeadmVersion = "kubeadm-version";
    public const string KubeadmPlan = "kubeadm-upgrade-plan";
    public const string KubeadmApply = "kubeadm-upgrade-apply";
    public const string KubeadmNode = "kubeadm-upgrade-node";
    public const string ControlPlaneHealth = "control-plane-health";
    public const string Cordon = "cordon";
    public const string Drain = "drain";
    public const string InstallKubelet = "install-kubelet-kubectl";
    public const string RestartKubelet = "restart-kubelet";
    public const string WaitReady = "wait-ready";
    public const string Uncordon = "uncordon";
    public const string Command = "command";
    public const string Reboot = "reboot";
    public const string WaitReboot = "wait-reboot";
}
