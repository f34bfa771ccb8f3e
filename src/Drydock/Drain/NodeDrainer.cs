using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Polly;

namespace Drydock.Drain;

/// <summary>
/// Cordons, uncordons and drains nodes through <see cref="IKubeClient"/>, with every wait on the injected clock.
/// The public surface other capabilities (orchestration, the CLI) call.
/// </summary>
public sealed partial class NodeDrainer
{
    private const string CordonPatch = """{"spec":{"unschedulable":true}}""";
    private const string UncordonPatch = """{"spec":{"unschedulable":null}}""";

    private readonly IKubeClient _client;
    private readonly TimeProvider _time;
    private readonly NodeEventRecorder _events;
    private readonly ResiliencePipeline<bool> _evictionRetry;

    public NodeDrainer(IKubeClient client, TimeProvider time)
    {
        _client = client;
        _time = time;
        _events = new NodeEventRecorder(client, time);
        _evictionRetry = BuildEvictionRetry(time);
    }

    /// <summary>Marks the node unschedulable ("already cordoned" without a write). A failed PATCH throws
    /// <see cref="DrydockException"/> with <see cref="CordonFailed"/>; an unknown node throws <see cref="KubeApiException"/> 404.</summary>
    public Task<NodeScheduling> CordonAsync(string node, DryRunMode dryRun = DryRunMode.None, IProgress<DrainEvent>? progress = null, bool recordEvent = true, CancellationToken ct = default) =>
        SetUnschedulableAsync(node, true, dryRun, progress, recordEvent, ct);

    /// <summary>Makes the node schedulable again ("already uncordoned" without a write).</summary>
    public Task<NodeScheduling> UncordonAsync(string node, DryRunMode dryRun = DryRunMode.None, IProgress<DrainEvent>? progress = null, bool recordEvent = true, CancellationToken ct = default) =>
        SetUnschedulableAsync(node, false, dryRun, progress, recordEvent, ct);

    private async Task<NodeScheduling> SetUnschedulableAsync(string node, bool unschedulable, DryRunMode dryRun, IProgress<DrainEvent>? progress, bool recordEvent, CancellationToken ct)
    {
        var current = await _client.GetAsync<Node>(ResourceKind.Nodes, null, node, ct);
        var changed = (current.Spec?.Unschedulable ?? false) != unschedulable;
        if (changed && dryRun != DryRunMode.Client)
        {
            try
            {
                await _client.PatchAsync<Node>(ResourceKind.Nodes, null, node, PatchType.StrategicMerge,
                    unschedulable ? CordonPatch : UncordonPatch, dryRun == DryRunMode.Server ? DryRun.Server : DryRun.None, ct);
            }
            catch (KubeApiException e)
            {
                var verb = unschedulable ? "cordon" : "uncordon";
                throw new DrydockException(unschedulable ? new CordonFailed(node, e.Message) : new OperationError($"unable to {verb} node \"{node}\": {e.Message}"), e);
            }
            if (recordEvent && dryRun == DryRunMode.None)
                await _events.RecordAsync(node,
                    unschedulable ? DrainConstants.EventReasonCordon : DrainConstants.EventReasonUncordon,
                    unschedulable ? "Node cordoned by drydock: marked unschedulable" : "Node uncordoned by drydock: schedulable again",
                    warning: false, ct);
        }
        var result = new NodeScheduling(node, _time.GetUtcNow(), unschedulable, changed, dryRun);
        progress?.Report(result);
        return result;
    }

    /// <summary>Reads the node's pods, their DaemonSets and the PDBs, and classifies them — what a client dry run shows.</summary>
    public async Task<DrainPlan> PlanAsync(string node, DrainOptions options, CancellationToken ct = default)
    {
        var (snapshot, _) = await ReadSnapshotAsync(node, options, ct);
        var (plan, _) = await DiagnoseBudgetsAsync(DrainPlanner.Plan(snapshot, options), snapshot, options, NewBudgets(options), ct);
        return plan;
    }

    private DrainBudgets NewBudgets(DrainOptions options) => new(_client, options.ChunkSize);

    /// <summary>Adds the diagnosis of the budgets covering the pods to evict to a plan made without them (their
    /// namespaces only; nothing to read when eviction is off or no pod goes).</summary>
    private static async Task<(DrainPlan Plan, NodeDrainSnapshot Snapshot)> DiagnoseBudgetsAsync(
        DrainPlan plan, NodeDrainSnapshot snapshot, DrainOptions options, DrainBudgets budgets, CancellationToken ct)
    {
        if (options.DisableEviction || plan.ToEvict.Count == 0) return (plan, snapshot);
        snapshot = snapshot with { Pdbs = await budgets.CoveringNamespacesOfAsync(plan.ToEvict, ct) };
        return (plan with { Pdbs = PdbDiagnostics.Diagnose(plan.ToEvict, snapshot) }, snapshot);
    }

    /// <summary>The node's pods (with the list's resourceVersion, where the deletion watch starts) and their DaemonSets;
    /// PodDisruptionBudgets are read separately, once it is known which pods go.</summary>
    internal async Task<(NodeDrainSnapshot Snapshot, string? ResourceVersion)> ReadSnapshotAsync(string node, DrainOptions options, CancellationToken ct)
    {
        var (pods, rv) = await DrainPaging.ListAllAsync<Pod>(_client, ResourceKind.Pods, new ListOptions
        {
            FieldSelector = DrainPaging.NodePodsFieldSelector(node),
            LabelSelector = string.IsNullOrEmpty(options.PodSelector) ? null : options.PodSelector,
            Limit = options.ChunkSize,
        }, ct);

        var daemonSets = new Dictionary<string, DaemonSetLookup>();
        foreach (var pod in pods)
        {
            var owner = PodFacts.Controller(pod);
            if (owner?.Kind != "DaemonSet" || PodFacts.IsFinished(pod)) continue;
            var key = NodeDrainSnapshot.Key(pod.Metadata.Namespace, owner.Name);
            if (daemonSets.ContainsKey(key)) continue;
            try
            {
                await _client.GetAsync<DaemonSet>(ResourceKind.DaemonSets, pod.Metadata.Namespace, owner.Name, ct);
                daemonSets[key] = DaemonSetLookup.Found;
            }
            catch (KubeApiException e)
            {
                daemonSets[key] = e.IsNotFound ? DaemonSetLookup.NotFound(e.Message) : DaemonSetLookup.Failed(e.Message);
            }
        }

        var snapshot = new NodeDrainSnapshot { NodeName = node, Pods = pods, DaemonSets = daemonSets, Now = _time.GetUtcNow() };
        return (snapshot, rv);
    }
}
