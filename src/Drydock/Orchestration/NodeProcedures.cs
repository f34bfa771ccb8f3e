using Drydock.Nodes;

namespace Drydock.Orchestration;

/// <summary>
/// The per-role procedures of the seed guides, as data (seed 004 §五/§六, seed 000, seed 001; seed 002 for
/// maintenance). The executor runs them in order and records each step id as it completes.
/// </summary>
public static class NodeProcedures
{
    public static readonly IReadOnlyList<string> Kubeadm = ["kubeadm"];
    public static readonly IReadOnlyList<string> KubeletKubectl = ["kubelet", "kubectl"];

    public static IReadOnlyList<ProcedureStep> For(RolloutPlan plan, RolloutHop hop, NodeRole role) =>
        plan.Kind == RolloutKind.Maintain
            ? Maintenance(plan.Maintenance ?? new MaintenanceWork(null, false))
            : Upgrade(hop, role);

    /// <summary>The part of a procedure a batch stage runs: control-plane components end at the control-plane health gate.</summary>
    public static IReadOnlyList<ProcedureStep> ForStage(IReadOnlyList<ProcedureStep> steps, BatchStage stage)
    {
        if (stage == BatchStage.Full) return steps;
        var gate = steps.ToList().FindIndex(s => s.Id == StepIds.ControlPlaneHealth);
        if (gate < 0) return steps;
        return stage == BatchStage.ControlPlaneComponents ? steps.Take(gate + 1).ToList() : steps.Skip(gate + 1).ToList();
    }

    public static IReadOnlyList<ProcedureStep> Upgrade(RolloutHop hop, NodeRole role)
    {
        var v = hop.Version;
        var steps = new List<ProcedureStep>();
        if (hop.SwitchRepository) steps.Add(new AgentProcedureStep(StepIds.SwitchRepository, new SwitchRepository(hop.Minor)));
        steps.Add(new AgentProcedureStep(StepIds.InstallKubeadm, new InstallPackages(Kubeadm, v)));
        steps.Add(new AgentProcedureStep(StepIds.KubeadmVersion, new KubeadmVersion()));
        if (role == NodeRole.FirstControlPlane)
        {
            steps.Add(new AgentProcedureStep(StepIds.KubeadmPlan, new KubeadmUpgradePlan(v)));
            steps.Add(new AgentProcedureStep(StepIds.KubeadmApply, new KubeadmUpgradeApply(v)));
        }
        else
        {
            steps.Add(new AgentProcedureStep(StepIds.KubeadmNode, new KubeadmUpgradeNode()));
        }
        if (role != NodeRole.Worker) steps.Add(new ControlPlaneHealthProcedureStep(v));
        steps.Add(new DrainProcedureStep());
        steps.Add(new AgentProcedureStep(StepIds.InstallKubelet, new InstallPackages(KubeletKubectl, v)));
        steps.Add(new AgentProcedureStep(StepIds.RestartKubelet, new RestartKubelet()));
        steps.Add(new WaitReadyProcedureStep(v));
        steps.Add(new UncordonProcedureStep());
        return steps;
    }

    /// <summary>seed 002: cordon, drain, do the work, (reboot and wait), wait Ready, uncordon.</summary>
    public static IReadOnlyList<ProcedureStep> Maintenance(MaintenanceWork work)
    {
        var steps = new List<ProcedureStep> { new CordonProcedureStep(), new DrainProcedureStep() };
        if (work.Command is not null) steps.Add(new AgentProcedureStep(StepIds.Command, new RunCommand(work.Command, work.CommandTimeout)));
        if (work.Reboot)
        {
            steps.Add(new AgentProcedureStep(StepIds.Reboot, new Reboot()));
            steps.Add(new WaitRebootProcedureStep());
        }
        steps.Add(new WaitReadyProcedureStep(null));
        steps.Add(new UncordonProcedureStep());
        return steps;
    }
}
