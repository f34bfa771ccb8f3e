using Drydock.Nodes;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>
/// Simulated kubeadm nodes for logic tests: package installs change facts, kubeadm apply/node move the node's
/// static pods, restarting kubelet reports the installed kubelet version, reboot changes the boot id. Records every
/// step per node, and can fail a step a given number of times.
/// </summary>
internal sealed class FakeNodes(FakeCluster cluster) : INodeAgentFactory
{
    private readonly Lock _gate = new();
    private FakeCluster Cluster => cluster;
    public List<(string Node, NodeStep Step)> Ran { get; } = [];
    public Dictionary<string, Dictionary<string, string>> Installed { get; } = new();
    public Dictionary<string, string> RepoMinor { get; } = new();
    /// <summary>Step type name → remaining failures (e.g. "InstallPackages:worker-2" → 1).</summary>
    public Dictionary<string, int> FailNext { get; } = new();

    public INodeAgent For(string nodeName) => new Agent(this, nodeName);

    public IEnumerable<NodeStep> StepsOn(string node) { lock (_gate) return Ran.Where(r => r.Node == node).Select(r => r.Step).ToList(); }

    public int Count<T>(string node, Func<T, bool>? where = null) where T : NodeStep =>
        StepsOn(node).OfType<T>().Count(s => where?.Invoke(s) ?? true);

    private Dictionary<string, string> Pkgs(string node)
    {
        if (!Installed.TryGetValue(node, out var p))
            Installed[node] = p = new() { ["kubeadm"] = "1.27.6", ["kubelet"] = "1.27.6", ["kubectl"] = "1.27.6" };
        return p;
    }

    private sealed class Agent(FakeNodes owner, string node) : INodeAgent
    {
        public string NodeName => node;

        public Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
        {
            ct.ThrowIfCancellationRequested();
            lock (owner._gate)
            {
                owner.Ran.Add((node, step));
                var key = $"{step.GetType().Name}:{node}";
                if (owner.FailNext.TryGetValue(key, out var left) && left > 0)
                {
                    owner.FailNext[key] = left - 1;
                    return Task.FromResult(Result(step, 100, "", "E: simulated failure"));
                }
                var pkgs = owner.Pkgs(node);
                var stdout = "";
                switch (step)
                {
                    case QueryNodeFacts:
                        return Task.FromResult(Result(step, 0, "", "") with
                        {
                            Facts = new NodeFacts { Node = node, PackageManager = "apt", Installed = new Dictionary<string, string>(pkgs), RepositoryMinor = owner.RepoMinor.GetValueOrDefault(node, "1.27") },
                        });
                    case SwitchRepository s: owner.RepoMinor[node] = s.Minor; break;
                    case InstallPackages i: foreach (var p in i.Packages) pkgs[p] = i.Version; break;
                    case KubeadmVersion: stdout = "v" + pkgs["kubeadm"]; break;
                    case KubeadmUpgradeApply a:
                        owner.ApplyControlPlane(node, a.Version);
                        owner.ApiServerApplied(a.Version);
                        break;
                    case KubeadmUpgradeNode when owner.IsControlPlane(node): owner.ApplyControlPlane(node, pkgs["kubeadm"]); break;
                    case RestartKubelet:
                        owner.Cluster.UpdateNode(node, n => n with { Status = n.Status! with { NodeInfo = n.Status.NodeInfo! with { KubeletVersion = "v" + pkgs["kubelet"] } } });
                        break;
                    case Reboot:
                        owner.Cluster.UpdateNode(node, n => n with { Status = n.Status! with { NodeInfo = n.Status.NodeInfo! with { BootID = "boot-2-" + node } } });
                        break;
                }
                return Task.FromResult(Result(step, 0, stdout, ""));
            }
        }

        private NodeStepResult Result(NodeStep step, int exit, string stdout, string stderr) => new()
        {
            Node = node, Step = step, CommandLine = step.Describe(), ExitCode = exit, Stdout = stdout, Stderr = stderr,
        };
    }

    private bool IsControlPlane(string node) => RolloutPlanner.IsControlPlane(cluster.Node(node));

    private void ApplyControlPlane(string node, string version)
    {
        foreach (var c in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler" }) cluster.SetStaticPod(node, c, "v" + version);
    }

    private void ApiServerApplied(string version) => cluster.ApiServerVersion = "v" + version;
}

/// <summary>Cordon/uncordon/drain on the fake cluster, tracking how many nodes were out of service at once.</summary>
internal sealed class FakeDrain(FakeCluster cluster) : IDrainService
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _out = [];
    /// <summary>Most nodes this drain service had cordoned/drained at the same time (its own doing only).</summary>
    public int MaxCordonedAtOnce { get; private set; }
    public List<string> Drained { get; } = [];
    public Dictionary<string, int> FailNext { get; } = new();

    public Task CordonAsync(string node, CancellationToken ct) { Set(node, true); return Task.CompletedTask; }

    public Task UncordonAsync(string node, CancellationToken ct) { Set(node, false); return Task.CompletedTask; }

    public Task<DrainOutcome> DrainAsync(string node, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Set(node, true);
        lock (_gate)
        {
            Drained.Add(node);
            if (FailNext.TryGetValue(node, out var n) && n > 0)
            {
                FailNext[node] = n - 1;
                return Task.FromResult(DrainOutcome.Failed("Cannot evict pod as it would violate the pod's disruption budget (pdb web)"));
            }
        }
        return Task.FromResult(DrainOutcome.Ok());
    }

    private void Set(string node, bool cordoned)
    {
        lock (_gate)
        {
            cluster.UpdateNode(node, n => n with { Spec = (n.Spec ?? new()) with { Unschedulable = cordoned ? true : null } });
            if (cordoned) _out.Add(node); else _out.Remove(node);
            MaxCordonedAtOnce = Math.Max(MaxCordonedAtOnce, _out.Count);
        }
    }
}
