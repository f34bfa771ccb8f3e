using Drydock.Planning.Upgrade;

namespace Drydock.Orchestration;

/// <summary>
/// The Planning layer's <see cref="UpgradePlan"/> (hops; apply on the first control plane, node on the others, their
/// kubelets, worker batches from the batch strategy) as the orchestrator's <see cref="RolloutPlan"/>. The planner
/// decides what and in which order; the orchestrator carries it out step by step.
/// </summary>
public static class UpgradePlanAdapter
{
    public static RolloutPlan ToRolloutPlan(UpgradePlan plan)
    {
        var hops = new List<RolloutHop>();
        foreach (var hop in plan.Hops)
        {
            var first = hop.Steps.FirstOrDefault(s => s.Kind == NodeStepKind.ControlPlaneApply)?.Nodes.FirstOrDefault();
            var batches = new List<RolloutBatch>();
            foreach (var step in hop.Steps.OrderBy(s => s.Index))
            {
                var (stage, role) = step.Kind switch
                {
                    NodeStepKind.ControlPlaneApply => (BatchStage.ControlPlaneComponents, NodeRole.FirstControlPlane),
                    NodeStepKind.ControlPlaneNode => (BatchStage.ControlPlaneComponents, NodeRole.ControlPlane),
                    NodeStepKind.ControlPlaneKubelet => (BatchStage.Kubelet, NodeRole.ControlPlane),
                    _ => (BatchStage.Full, NodeRole.Worker),
                };
                var nodes = step.Nodes.Select(n => new RolloutNode(n, stage == BatchStage.Kubelet && n == first ? NodeRole.FirstControlPlane : role)).ToList();
                batches.Add(new RolloutBatch(batches.Count, nodes, stage));
            }
            hops.Add(new RolloutHop { Version = hop.To.Bare, SwitchRepository = !hop.From.SameMinor(hop.To), Batches = batches });
        }
        return new RolloutPlan { Kind = RolloutKind.Upgrade, Hops = hops, MaxUnavailable = plan.BatchSize };
    }
}
