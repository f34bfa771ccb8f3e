using Drydock.Planning.Scheduling;
using Drydock.Planning.Upgrade;

namespace Drydock.Planning.Preflight;

/// <summary>
/// For every draining step of the plan (control-plane kubelets, worker batches), in order: do the evicted pods fit
/// on the remaining schedulable nodes? Reports each step with a shortfall and the pods left Pending.
/// Only the first hop is simulated: later hops drain the same nodes in the same order over the same workloads.
/// </summary>
public sealed class DrainCapacityCheck : IPreflightCheck
{
    public string Name => "drain-capacity";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        if (context.Plan.UpToDate) return ValueTask.FromResult(PreflightResult.Pass(Name, "no drains planned"));
        var sim = new DrainCapacitySimulator(context.Snapshot);
        var evidence = new List<string>();
        var drains = 0; var moved = 0; var shortSteps = 0; var unplacedTotal = 0;
        foreach (var step in context.Plan.Hops[0].Steps.Where(s => s.Drain))
        {
            ct.ThrowIfCancellationRequested();
            var result = sim.Drain(step.Nodes);
            drains++;
            moved += result.MovedPods;
            if (result.Unplaced.Count == 0) continue;
            shortSteps++;
            unplacedTotal += result.Unplaced.Count;
            var cpu = result.Unplaced.Sum(u => u.Pod.Requests.CpuMilli);
            var mem = result.Unplaced.Sum(u => u.Pod.Requests.MemoryBytes) / (1024 * 1024);
            evidence.Add($"step {step.Index} (drain {string.Join(", ", step.Nodes.Take(3))}{(step.Nodes.Count > 3 ? ", …" : "")}): {result.Unplaced.Count} pod(s) would stay Pending, short by cpu {cpu}m, memory {mem}Mi");
            foreach (var u in result.Unplaced.Take(3))
                evidence.Add($"  {u.Pod.Namespace}/{u.Pod.Name} (cpu {u.Pod.Requests.CpuMilli}m, memory {u.Pod.Requests.MemoryBytes / (1024 * 1024)}Mi): {u.Reason}");
        }
        if (shortSteps == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, $"{drains} drain(s): all {moved} evicted pods fit on the remaining nodes"));
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Fail,
            Summary = $"{shortSteps} of {drains} drain(s) leave {unplacedTotal} pod(s) without a node",
            Evidence = EvidenceList.Cap(evidence),
            Remedy = "add a node or free capacity, lower --max-unavailable, or relax the pods' nodeSelector/tolerations",
        });
    }
}
