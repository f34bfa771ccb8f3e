using Drydock.Nodes;
using Drydock.Sandbox.Kubeadm;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// Node-agent steps on simulated kubeadm nodes. Each step takes its simulated duration on the cluster's clock, then
/// changes the node (packages, kubeadm upgrade, kubelet restart, reboot, files) and reports the command line a real
/// node would have run. A rebooting node is unreachable (<see cref="NodeAgentException"/>).
/// </summary>
public sealed partial class SandboxCluster
{
    /// <summary>The in-process node agent for one node.</summary>
    public INodeAgent NodeAgent(string node) => new SandboxNodeAgent(this, node);

    /// <summary>Makes every command on <paramref name="node"/> containing <paramref name="commandContains"/> fail (tests).</summary>
    public void ScriptFailure(string node, string commandContains, int exitCode = 1, string stderr = "simulated failure")
    {
        lock (Store.Gate) (Host(node) ?? throw new ArgumentException($"no node {node}")).ScriptedFailures[commandContains] = (exitCode, stderr);
    }

    /// <summary>Commands a node ran, in order (tests, demo).</summary>
    public IReadOnlyList<string> CommandLog(string node)
    {
        lock (Store.Gate) return Host(node)?.CommandLog.ToList() ?? [];
    }

    public async Task<NodeStepResult> RunStepAsync(string node, NodeStep step, CancellationToken ct = default)
    {
        NodeHost host;
        lock (Store.Gate)
        {
            host = Host(node) ?? throw new NodeAgentException(node, "no such node in the sandbox");
            if (_rebooting.Contains(node)) throw new NodeAgentException(node, "ssh: connect to host port 22: Connection refused (node is rebooting)");
        }
        var command = CommandLine(host, step);
        var duration = Duration(step);
        var started = Time.GetUtcNow();
        if (duration > TimeSpan.Zero) await Task.Delay(duration, Time, ct);
        StepOutcome outcome;
        NodeFacts? facts = null;
        IReadOnlyList<string>? versions = null;
        lock (Store.Gate)
        {
            host.CommandLog.Add(command);
            var scripted = host.ScriptedFailures.FirstOrDefault(f => command.Contains(f.Key, StringComparison.Ordinal));
            if (scripted.Key is not null) outcome = StepOutcome.Fail(scripted.Value.ExitCode, scripted.Value.Stderr);
            else
            {
                outcome = Apply(host, step);
                if (step is QueryNodeFacts && outcome.ExitCode == 0) facts = Facts(host);
                if (step is ListAvailableVersions lv && outcome.ExitCode == 0) versions = Available(host, lv.Package).Select(v => v.Plain).ToList();
            }
            RunDue();
        }
        return new NodeStepResult
        {
            Node = node, Step = step, CommandLine = command, ExitCode = outcome.ExitCode, Stdout = outcome.Stdout, Stderr = outcome.Stderr,
            Duration = Time.GetUtcNow() - started, Facts = facts, Versions = versions,
        };
    }

    private readonly HashSet<string> _rebooting = new(StringComparer.Ordinal);

    private TimeSpan Duration(NodeStep step)
    {
        var d = Options.StepDurations;
        return step switch
        {
            QueryNodeFacts or ListAvailableVersions or KubeadmVersion or ReadFile or WriteFile => d.Query,
            SwitchRepository => d.SwitchRepository,
            InstallPackages => d.InstallPackages,
            KubeadmUpgradePlan => d.KubeadmPlan,
            KubeadmUpgradeApply => d.KubeadmApply,
            KubeadmUpgradeNode => d.KubeadmNode,
            RunCommand => d.RunCommand,
            _ => TimeSpan.FromSeconds(1),
        };
    }

    private static NodeFacts Facts(NodeHost h) => new()
    {
        Node = h.Name,
        PackageManager = h.PackageManager,
        Installed = h.Installed.ToDictionary(kv => kv.Key, kv => kv.Value.Plain),
        Held = h.Held.Order(StringComparer.Ordinal).ToList(),
        RepositoryMinor = h.RepositoryMinor,
        SwapOn = h.SwapOn,
        BootId = h.BootId,
    };

    private static IReadOnlyList<KubeVersion> Available(NodeHost h, string package)
    {
        if (!NodeHost.KubePackages.Contains(package) || !KubeVersion.TryParse(h.RepositoryMinor, out var minor)) return [];
        return KubeadmCatalog.Offered(minor.Major, minor.Minor);
    }
}
