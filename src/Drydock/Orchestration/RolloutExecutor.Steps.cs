using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;

namespace Drydock.Orchestration;

public sealed partial class RolloutExecutor
{
    private async Task<StepOutcome> ExecuteStepAsync(ProcedureStep step, NodeContext ctx, NodeProgress progress, CancellationToken ct)
    {
        var node = ctx.Node.Name;
        var version = ctx.HopPlan.Version;
        try
        {
            switch (step)
            {
                case AgentProcedureStep a:
                    if (await AlreadyDoneAsync(a, ctx, progress, ct) is { } why) return new StepOutcome.Skipped(why);
                    return await RunAgentStepAsync(a, ctx, ct);
                case CordonProcedureStep:
                    if ((await GetNode(node, ct)).IsCordoned()) return new StepOutcome.Skipped("already cordoned");
                    await _drain.CordonAsync(node, ct);
                    return new StepOutcome.Done(null, "cordoned");
                case DrainProcedureStep:
                    if (_state.Plan.Kind == RolloutKind.Upgrade && (await GetNode(node, ct)).KubeletAt(version))
                        return new StepOutcome.Skipped($"kubelet already at v{version}");
                    var drained = await _drain.DrainAsync(node, ct);
                    return drained.Succeeded ? new StepOutcome.Done(null, drained.Message) : Fail(step, node, $"drain stopped: {drained.Message}");
                case UncordonProcedureStep:
                    if (progress.WasCordoned == true) return new StepOutcome.Skipped("was cordoned before drydock started; left cordoned");
                    if (!(await GetNode(node, ct)).IsCordoned()) return new StepOutcome.Skipped("not cordoned");
                    await _drain.UncordonAsync(node, ct);
                    return new StepOutcome.Done(null, "uncordoned");
                case WaitReadyProcedureStep w:
                    return await WaitNodeAsync(step, node, n => n.IsReady() && (w.KubeletVersion is null || n.KubeletAt(w.KubeletVersion)),
                        _options.NodeReadyTimeout, ct);
                case WaitRebootProcedureStep:
                    return await WaitNodeAsync(step, node, n => n.BootId() != (progress.BootIdBefore ?? "") && n.IsReady(), _options.RebootTimeout, ct);
                case ControlPlaneHealthProcedureStep h:
                    return await WaitControlPlaneAsync(step, node, h.Version, ct);
                default:
                    throw new InvalidOperationException($"unknown procedure step {step.GetType().Name}");
            }
        }
        catch (NodeAgentException ex)
        {
            return Fail(step, node, ex.Message);
        }
        catch (KubeApiException ex)
        {
            return Fail(step, node, $"API error: {ex.Message}");
        }
    }

    private async Task<StepOutcome> RunAgentStepAsync(AgentProcedureStep a, NodeContext ctx, CancellationToken ct)
    {
        var result = await _agents.For(ctx.Node.Name).RunAsync(a.Step, ct);
        if (!result.Succeeded)
            return new StepOutcome.Failed(new RunFailure
            {
                Node = ctx.Node.Name, StepId = a.Id, Step = a.Describe(), Command = result.CommandLine, ExitCode = result.ExitCode,
                Output = Output(result), Message = $"`{result.CommandLine}` exited {result.ExitCode}",
            });
        if (a.Step is KubeadmVersion)
        {
            var said = result.Stdout.Trim();
            if (said.Length > 0 && !said.Contains("v" + ctx.HopPlan.Version, StringComparison.Ordinal))
                return new StepOutcome.Failed(new RunFailure
                {
                    Node = ctx.Node.Name, StepId = a.Id, Step = a.Describe(), Command = result.CommandLine, ExitCode = 0, Output = said,
                    Message = $"kubeadm reports {said}, expected v{ctx.HopPlan.Version}: the kubeadm package did not install the target version",
                });
        }
        return new StepOutcome.Done(result);
    }

    /// <summary>The "already done?" check of each node-agent step (kubeadm-style idempotence); null means "run it".</summary>
    private async Task<string?> AlreadyDoneAsync(AgentProcedureStep a, NodeContext ctx, NodeProgress progress, CancellationToken ct)
    {
        var node = ctx.Node.Name;
        var version = ctx.HopPlan.Version;
        switch (a.Step)
        {
            case SwitchRepository s:
                return (await FactsAsync(node, ct))?.RepositoryMinor == s.Minor ? $"repository already at v{s.Minor}" : null;
            case InstallPackages i:
                var facts = await FactsAsync(node, ct);
                return facts is not null && i.Packages.All(p => facts.Installed.TryGetValue(p, out var v) && v == i.Version)
                    ? $"{string.Join(", ", i.Packages)} already at {i.Version}" : null;
            case KubeadmUpgradeApply:
                return await StaticPodAtAsync(node, "kube-apiserver", version, ct) ? $"kube-apiserver on {node} already runs v{version}" : null;
            case KubeadmUpgradeNode when ctx.Node.Role == NodeRole.ControlPlane:
                return await StaticPodAtAsync(node, "kube-apiserver", version, ct) ? $"kube-apiserver on {node} already runs v{version}" : null;
            case KubeadmUpgradeNode:
                return (await GetNode(node, ct)).KubeletAt(version) ? $"kubelet already at v{version}" : null;
            case RestartKubelet:
                var n = await GetNode(node, ct);
                return n.KubeletAt(version) && n.IsReady() ? $"kubelet already reports v{version}" : null;
            case Reboot:
                var b = (await GetNode(node, ct)).BootId();
                return progress.BootIdBefore is { Length: > 0 } before && b.Length > 0 && b != before ? "node has rebooted since maintenance began" : null;
            default:
                return null;
        }
    }

    private async Task<NodeFacts?> FactsAsync(string node, CancellationToken ct)
    {
        var r = await _agents.For(node).RunAsync(new QueryNodeFacts(), ct);
        return r.Succeeded ? r.Facts : null;
    }

    /// <summary>The node's mirror pod for a control-plane component runs the version (image tag vX.Y.Z).</summary>
    private async Task<bool> StaticPodAtAsync(string node, string component, string version, CancellationToken ct)
    {
        var pods = await ControlPlanePodsAsync(node, ct);
        return pods.Any(p => Component(p) == component && ImageAt(p, version));
    }

    private async Task<IReadOnlyList<Pod>> ControlPlanePodsAsync(string node, CancellationToken ct)
    {
        var list = await _kube.ListAsync<Pod>(ResourceKind.Pods, new ListOptions
        {
            Namespace = "kube-system", FieldSelector = $"spec.nodeName={node}", LabelSelector = "tier=control-plane",
        }, ct);
        return list.Items;
    }

    private static string Component(Pod p) => p.Metadata.Labels?.GetValueOrDefault("component") ?? "";

    private static bool ImageAt(Pod p, string version) =>
        p.Spec?.Containers.Any(c => c.Image?.EndsWith(":v" + version, StringComparison.Ordinal) == true) == true;

    private Task<Node> GetNode(string node, CancellationToken ct) => _kube.GetAsync<Node>(ResourceKind.Nodes, null, node, ct);

    private static StepOutcome Fail(ProcedureStep step, string node, string message) =>
        new StepOutcome.Failed(new RunFailure { Node = node, StepId = step.Id, Step = step.Describe(), Message = message });
}
