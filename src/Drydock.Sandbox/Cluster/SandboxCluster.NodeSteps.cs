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
                outcome = step is PutFile put ? Put(host, put) : EtcdRestoreDiscovery(host, step) ?? Apply(host, step);
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

    /// <summary>The bytes stay with the caller: the simulated node records what arrived, so later steps can find the file.</summary>
    private static StepOutcome Put(NodeHost h, PutFile put)
    {
        h.Files[put.Path] = $"copy of {put.SourcePath}: {put.Length} bytes, sha256 {put.Sha256}";
        return StepOutcome.Ok();
    }

    /// <summary>
    /// What `drydock etcd snapshot restore` reads on a control plane before planning: kubeadm's etcd manifest (the
    /// sandbox's own is only a placeholder, so a kubeadm-shaped one is served) and which restore tool is installed.
    /// Everything else of a restore runs as plain commands; the sandbox does not simulate etcd's data.
    /// </summary>
    private static StepOutcome? EtcdRestoreDiscovery(NodeHost h, NodeStep step)
    {
        if (!h.IsControlPlane) return null;
        const string manifest = "/etc/kubernetes/manifests/etcd.yaml";
        return step switch
        {
            ReadFile { Path: manifest } when !h.Files.TryGetValue(manifest, out var text) || !text.Contains("kind: Pod", StringComparison.Ordinal)
                => StepOutcome.Ok(KubeadmEtcdManifest(h.Name)),
            ReadFile { Path: "/etc/kubernetes/manifests/kube-apiserver.yaml" } when !h.Files.ContainsKey("/etc/kubernetes/manifests/kube-apiserver.yaml")
                => StepOutcome.Ok("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --secure-port=6443\n    name: kube-apiserver\n"),
            RunCommand { Command: "command -v etcdutl || command -v etcdctl" } => StepOutcome.Ok("/usr/local/bin/etcdutl\n"),
            _ => null,
        };
    }

    private static string KubeadmEtcdManifest(string node) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            component: etcd
            tier: control-plane
          name: etcd
          namespace: kube-system
        spec:
          containers:
          - command:
            - etcd
            - --advertise-client-urls=https://{node}:2379
            - --cert-file=/etc/kubernetes/pki/etcd/server.crt
            - --client-cert-auth=true
            - --data-dir=/var/lib/etcd
            - --initial-advertise-peer-urls=https://{node}:2380
            - --initial-cluster={node}=https://{node}:2380
            - --key-file=/etc/kubernetes/pki/etcd/server.key
            - --listen-client-urls=https://127.0.0.1:2379,https://{node}:2379
            - --listen-metrics-urls=http://127.0.0.1:2381
            - --listen-peer-urls=https://{node}:2380
            - --name={node}
            - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
            image: registry.k8s.io/etcd:3.5.12-0
            name: etcd
            volumeMounts:
            - mountPath: /var/lib/etcd
              name: etcd-data
            - mountPath: /etc/kubernetes/pki/etcd
              name: etcd-certs
          hostNetwork: true
          volumes:
          - hostPath:
              path: /etc/kubernetes/pki/etcd
              type: DirectoryOrCreate
            name: etcd-certs
          - hostPath:
              path: /var/lib/etcd
              type: DirectoryOrCreate
            name: etcd-data

        """;

    private readonly HashSet<string> _rebooting = new(StringComparer.Ordinal);

    private TimeSpan Duration(NodeStep step)
    {
        var d = Options.StepDurations;
        return step switch
        {
            QueryNodeFacts or ListAvailableVersions or KubeadmVersion or ReadFile or WriteFile or PutFile => d.Query,
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
