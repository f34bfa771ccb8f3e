using System.Text.RegularExpressions;
using Drydock.Common;
using Drydock.Nodes;

namespace Drydock.Etcd.Restore;

/// <summary>
/// Carries out a restore through node agents: <see cref="DiscoverAsync"/> reads each node (read-only: manifests, which
/// restore tool exists), <see cref="ExecuteAsync"/> runs a plan's steps in order and stops at the first failure with a
/// message that says how to roll back (the old data dir is untouched; the original manifests are in the aside dir).
/// </summary>
public sealed partial class EtcdRestoreExecutor(Func<string, INodeAgent> agents, Func<Uri, IEtcdClient> etcdClients, TimeProvider time)
{
    public async Task<RestoreTarget> DiscoverAsync(string node, string manifestsDir, CancellationToken ct = default)
    {
        var agent = agents(node);
        var etcdPath = $"{manifestsDir.TrimEnd('/')}/{EtcdConstants.EtcdManifestFile}";
        var manifest = await agent.RunAsync(new ReadFile(etcdPath), ct);
        if (!manifest.Succeeded)
            throw new DrydockException(new OperationError($"node {node}: cannot read the etcd manifest {etcdPath}: {LastLine(manifest.Stderr)} (is this a kubeadm control-plane node with local etcd?)"));
        var parsed = EtcdManifest.Parse(manifest.Stdout, $"{node}:{etcdPath}");

        var apiPath = $"{manifestsDir.TrimEnd('/')}/{EtcdConstants.ApiServerManifestFile}";
        var api = await agent.RunAsync(new ReadFile(apiPath), ct);
        string? healthUrl = null;
        if (api.Succeeded)
        {
            var port = SecurePort().Match(api.Stdout) is { Success: true } m ? m.Groups[1].Value : "6443";
            healthUrl = $"https://127.0.0.1:{port}/readyz";
        }

        var tool = await agent.RunAsync(new RunCommand("command -v etcdutl || command -v etcdctl", TimeSpan.FromSeconds(30)), ct);
        var toolPath = tool.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (!tool.Succeeded || toolPath is null)
            throw new DrydockException(new OperationError($"node {node}: neither etcdutl nor etcdctl is installed; install etcd-client (or etcdutl) on the node to restore"));

        return new RestoreTarget { Node = node, ManifestsDir = manifestsDir, ManifestText = manifest.Stdout, Manifest = parsed, ApiServerHealthUrl = healthUrl, RestoreTool = toolPath };
    }

    public async Task<IReadOnlyList<RestoredMember>> ExecuteAsync(EtcdRestorePlan plan, EtcdRestoreOptions options, IProgress<RestoreProgress>? progress = null, CancellationToken ct = default)
    {
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            progress?.Report(new RestoreProgress(i, plan.Steps.Count, step, Finished: false));
            try
            {
                NodeStepResult? result = null;
                string? detail = null;
                switch (step)
                {
                    case NodeRestoreStep n: result = await RunNodeStepAsync(n, ct); break;
                    case WaitForEtcdStep w: detail = await WaitForEtcdAsync(w, options, ct); break;
                    case WaitForEtcdHealthStep h: detail = await WaitForEtcdHealthAsync(h, options, ct); break;
                    case WaitForApiServerStep a: result = await WaitForApiServerAsync(a, options, ct); break;
                    default: throw new InvalidOperationException($"unknown restore step {step.GetType().Name}");
                }
                progress?.Report(new RestoreProgress(i, plan.Steps.Count, step, Finished: true, result, detail));
            }
            catch (DrydockException ex) when (ex.Error is not UsageError)
            {
                throw new DrydockException(new OperationError($"restore stopped at step {i + 1}/{plan.Steps.Count} ({step.Description}) on {step.Node}: {ex.Error.Message}. {Rollback(plan, i)}"), ex);
            }
        }
        return plan.Members;
    }

    private async Task<NodeStepResult> RunNodeStepAsync(NodeRestoreStep step, CancellationToken ct)
    {
        var result = await agents(step.Node).RunAsync(step.Step, ct);
        if (!result.Succeeded)
            throw new DrydockException(new OperationError($"exit code {result.ExitCode}: {LastLine(result.Stderr.Length > 0 ? result.Stderr : result.Stdout)}"));
        return result;
    }

    private async Task<string> WaitForEtcdAsync(WaitForEtcdStep step, EtcdRestoreOptions options, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await using var client = etcdClients(step.Endpoint);
        var last = "no answer yet";
        while (true)
        {
            try
            {
                var status = await client.StatusAsync(step.Endpoint, ct);
                if (step.Up && (step.MinRevision is not { } min || status.Revision >= min))
                    return $"etcd {status.Version} up at revision {status.Revision}";
                last = step.Up ? $"revision {status.Revision} is below the snapshot's {step.MinRevision}" : "etcd still answers";
            }
            catch (DrydockException ex) when (ex.Error is EtcdError e)
            {
                if (!step.Up && e.GrpcStatus is null) return "etcd stopped";
                last = e.Message;
            }
            if (time.GetElapsedTime(started) >= options.HealthTimeout)
                throw new DrydockException(new OperationError($"etcd at {step.Endpoint.GetLeftPart(UriPartial.Authority)} did not {(step.Up ? "come up" : "stop")} within {options.HealthTimeout.TotalSeconds:0}s (last: {last})"));
            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    private async Task<string> WaitForEtcdHealthAsync(WaitForEtcdHealthStep step, EtcdRestoreOptions options, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var result = await agents(step.Node).RunAsync(new RunCommand(step.ProbeCommand, TimeSpan.FromSeconds(10)), ct);
            var healthy = result.Succeeded && result.Stdout.Replace(" ", "", StringComparison.Ordinal).Contains("\"health\":\"true\"", StringComparison.Ordinal);
            if (step.Up && healthy) return $"etcd on {step.Node} reports healthy";
            // curl exit 7: connection refused, nothing listens any more.
            if (!step.Up && !result.Succeeded) return $"etcd on {step.Node} stopped";
            if (time.GetElapsedTime(started) >= options.HealthTimeout)
                throw new DrydockException(new OperationError($"etcd on {step.Node} ({step.HealthUrl}) did not {(step.Up ? "become healthy" : "stop")} within {options.HealthTimeout.TotalSeconds:0}s (last: {(result.Succeeded ? result.Stdout.Trim() : $"curl exit {result.ExitCode}")})"));
            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    private async Task<NodeStepResult> WaitForApiServerAsync(WaitForApiServerStep step, EtcdRestoreOptions options, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var result = await agents(step.Node).RunAsync(new RunCommand(step.ProbeCommand, TimeSpan.FromSeconds(10)), ct);
            if (result.Succeeded) return result;
            if (time.GetElapsedTime(started) >= options.HealthTimeout)
                throw new DrydockException(new OperationError($"kube-apiserver ({step.HealthUrl}) not ready within {options.HealthTimeout.TotalSeconds:0}s (curl exit {result.ExitCode})"));
            await Task.Delay(options.PollInterval, time, ct);
        }
    }

    /// <summary>What the operator does to get back to where they were, given how far the plan got.</summary>
    private static string Rollback(EtcdRestorePlan plan, int failedAt)
    {
        var movedAside = plan.Steps.Take(failedAt + 1).Any(s => s.Description.Contains("move its manifest aside", StringComparison.Ordinal));
        if (!movedAside) return "Nothing was changed.";
        var m = plan.Members[0];
        var where = string.Join("; ", plan.Members.Select(x => $"{x.Node}: originals in {x.AsideDir}, old data {x.OldDataDir} untouched"));
        return $"To roll back, move the original manifests back on each node (e.g. mv {m.AsideDir}/{EtcdConstants.EtcdManifestFile} {m.AsideDir}/{EtcdConstants.ApiServerManifestFile} {m.ManifestsDir}/) — {where}.";
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    [GeneratedRegex(@"--secure-port=(\d+)")]
    private static partial Regex SecurePort();
}
