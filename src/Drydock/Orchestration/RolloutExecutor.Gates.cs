using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>Health gates: bounded polls on the injected clock.</summary>
public sealed partial class RolloutExecutor
{
    private async Task<StepOutcome> WaitNodeAsync(ProcedureStep step, string node, Func<Node, bool> ok, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            var n = await GetNode(node, ct);
            if (ok(n)) return new StepOutcome.Done(null, n.Describe());
            if (_time.GetUtcNow() >= deadline)
                return Fail(step, node, $"gave up after {timeout.TotalMinutes:0.#}m: node is {n.Describe()}");
            await Task.Delay(_options.PollInterval, _time, ct);
        }
    }

    /// <summary>Static pods on the node Ready (and at the version for apiserver, controller-manager, scheduler), then the API server answers.</summary>
    private async Task<StepOutcome> WaitControlPlaneAsync(ProcedureStep step, string node, string version, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + _options.ControlPlaneHealthTimeout;
        string[] versioned = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"];
        while (true)
        {
            var pods = await ControlPlanePodsAsync(node, ct);
            var problems = pods.Where(p => !PodReady(p)).Select(p => $"{p.Metadata.Name} not Ready")
                .Concat(pods.Where(p => versioned.Contains(Component(p)) && !ImageAt(p, version)).Select(p => $"{p.Metadata.Name} not at v{version}"))
                .ToList();
            if (problems.Count == 0)
            {
                var server = await _kube.GetVersionAsync(ct);
                return new StepOutcome.Done(null, pods.Count == 0
                    ? $"no static control-plane pods reported for {node}; API server answers {server.GitVersion}"
                    : $"{pods.Count} static pods Ready; API server answers {server.GitVersion}");
            }
            if (_time.GetUtcNow() >= deadline)
                return Fail(step, node, $"control plane not healthy after {_options.ControlPlaneHealthTimeout.TotalMinutes:0.#}m: {string.Join(", ", problems)}");
            await Task.Delay(_options.PollInterval, _time, ct);
        }
    }

    private static bool PodReady(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>After a hop: every node of it Ready at the version, and the API server reporting it, before the next hop.</summary>
    private async Task<bool> VerifyHopAsync(int h, RolloutHop hop, CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var rn in hop.Batches.SelectMany(b => b.Nodes).DistinctBy(n => n.Name))
        {
            var n = await GetNode(rn.Name, ct);
            if (!n.IsReady() || !n.KubeletAt(hop.Version)) problems.Add($"{rn.Name}: {n.Describe()}");
        }
        var server = await _kube.GetVersionAsync(ct);
        if (!NodeConditions.SameVersion(server.GitVersion, hop.Version)) problems.Add($"API server reports {server.GitVersion}");
        if (problems.Count == 0)
        {
            await EmitAsync(new RolloutEvent { Kind = RolloutEventKind.HopVerified, Hop = h, Version = hop.Version, Message = $"all nodes Ready at v{hop.Version}" });
            return true;
        }
        var failure = new RunFailure
        {
            Node = "(cluster)", StepId = "verify-hop", Step = $"verify v{hop.Version}", Message = $"after upgrading to v{hop.Version}: {string.Join("; ", problems)}",
            At = _time.GetUtcNow(),
        };
        await _stateGate.WaitAsync(CancellationToken.None);
        try { _state = _state with { Failure = failure }; }
        finally { _stateGate.Release(); }
        return false;
    }
}
