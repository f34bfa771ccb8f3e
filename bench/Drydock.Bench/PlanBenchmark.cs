using Drydock.Kube.Models;
using Drydock.Planning;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Reporting;
using Drydock.Versions;

namespace Drydock.Bench;

/// <summary>
/// `plan` at Kubernetes' scalability limits (https://kubernetes.io/docs/setup/best-practices/cluster-large/):
/// 5,000 nodes, 150,000 pods, 10,000 PDBs. Times the whole of `drydock plan` below the CLI on an in-memory
/// snapshot — target choice, hops, node plan, every preflight check including the capacity simulation of all
/// drains and the skew replay — and the text rendering. Targets: ≤ 2 s wall, ≤ 1 GiB peak working set.
/// Options: --nodes N --pods N --pdbs N --max-unavailable N|P%.
/// </summary>
internal sealed class PlanBenchmark : IBenchmark
{
    public string Name => "plan";
    public string Description => "drydock plan on a generated 5,000-node / 150,000-pod / 10,000-PDB snapshot (≤ 2 s, ≤ 1 GiB)";

    public async Task<int> RunAsync(string[] args)
    {
        var nodes = Option(args, "--nodes", 5000);
        var pods = Option(args, "--pods", 150_000);
        var pdbs = Option(args, "--pdbs", 10_000);
        var maxUnavailable = OptionText(args, "--max-unavailable", "1");
        Console.WriteLine($"plan benchmark: {nodes} nodes, {pods} pods, {pdbs} PDBs, --max-unavailable {maxUnavailable}, {Environment.ProcessorCount} CPU(s)");

        var (snapshot, _, _) = await Measure.Phase("generate snapshot (not timed)", () => Task.FromResult(Generate(nodes, pods, pdbs)));
        GC.Collect();
        var request = new PlanRequest
        {
            To = KubeVersion.Parse("v1.30.2"),
            PlanOptions = new Drydock.Planning.Upgrade.UpgradePlanOptions { MaxUnavailable = Drydock.Planning.Upgrade.BatchSize.Parse(maxUnavailable) },
        };
        var (report, planWall, planCpu) = await Measure.Phase("plan + preflight (timed)", () => PlanReportBuilder.BuildAsync(snapshot, request));
        var (text, renderWall, renderCpu) = await Measure.Phase("render text (timed)", () => Task.FromResult(PlanTextRenderer.Render(report)));

        // Where the time goes: the shared index, then each check on its own.
        var (context, _, _) = await Measure.Phase("  index (pods by node/label, PDB matches)", () => Task.FromResult(PreflightContext.Create(snapshot, report.Plan)));
        foreach (var check in PreflightRunner.BuiltIn)
            await Measure.Phase($"  check {check.Name}", () => check.RunAsync(context).AsTask());

        var wall = planWall + renderWall;
        var cpu = planCpu + renderCpu;
        var peak = Measure.PeakWorkingSetMiB();
        Console.WriteLine();
        Console.WriteLine($"steps: {report.Plan.Hops.Sum(h => h.Steps.Count)}, text lines: {text.Count}");
        foreach (var p in report.Preflight) Console.WriteLine($"  {p.Check,-20} {p.Status,-4} {p.Summary}");
        // Judged on wall time; on a machine where other processes hold the cores, CPU time shows the code's own cost.
        var ok = wall.TotalSeconds <= 2 && peak <= 1024;
        Console.WriteLine();
        Console.WriteLine($"RESULT plan wall {wall.TotalMilliseconds:0} ms, cpu {cpu.TotalMilliseconds:0} ms (target ≤ 2000), peak working set {peak:0} MiB (target ≤ 1024, includes the generated snapshot): {(ok ? "PASS" : "FAIL")}");
        if (!ok && wall.TotalSeconds > 2 && cpu.TotalSeconds <= 2 && File.Exists("/proc/loadavg"))
            Console.WriteLine($"note: load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} CPU(s): wall time is mostly waiting for a core; the CPU time is within the target");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// 3 control planes + workers (32 CPU / 128 GiB), a kube-proxy pod per node, Deployments of 10 replicas spread
    /// round-robin (500m / 1 GiB each), a PDB per Deployment up to the PDB count (maxUnavailable 1, every 5th
    /// minAvailable 50%), half the pods in namespaces of 100 deployments.
    /// </summary>
    internal static ClusterSnapshot Generate(int nodeCount, int podCount, int pdbCount)
    {
        const string version = "v1.29.6";
        var v = KubeVersion.Parse(version);
        var nodes = new List<NodeState>(nodeCount);
        var cp = new List<ControlPlaneNode>();
        var podsList = new List<PodState>(podCount + nodeCount * 5);
        var proxyOwner = new OwnerRef("DaemonSet", "kube-proxy", "ds-proxy");
        for (var i = 0; i < nodeCount; i++)
        {
            var isCp = i < 3;
            var name = isCp ? $"cp-{i + 1}" : $"worker-{i - 2:D4}";
            var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["topology.kubernetes.io/zone"] = $"zone-{i % 3}" };
            if (isCp) labels["node-role.kubernetes.io/control-plane"] = "";
            nodes.Add(new NodeState
            {
                Name = name, IsControlPlane = isCp, Roles = isCp ? ["control-plane"] : [], Labels = labels,
                Taints = isCp ? [new Taint { Key = "node-role.kubernetes.io/control-plane", Effect = "NoSchedule" }] : [],
                Allocatable = isCp ? new ResourceAmounts(8000, 32L << 30, 110) : new ResourceAmounts(32000, 128L << 30, 110),
                KubeletVersion = v, KubeletVersionText = version, Ready = true,
            });
            podsList.Add(new PodState
            {
                Namespace = "kube-system", Name = $"kube-proxy-{i}", NodeName = name, Controller = proxyOwner, Workload = proxyOwner,
                Requests = new ResourceAmounts(100, 64L << 20, 1), Phase = "Running", Ready = true, Image = $"registry.k8s.io/kube-proxy:{version}",
                Labels = new Dictionary<string, string> { ["k8s-app"] = "kube-proxy" },
            });
            if (!isCp) continue;
            StaticPodState S(string c, string tag) => new(c, $"{c}-{name}", $"registry.k8s.io/{c}:{tag}", tag, c == "etcd" ? null : KubeVersion.Parse(tag), "Running", true);
            cp.Add(new ControlPlaneNode
            {
                Node = name, KubeApiserver = S("kube-apiserver", version), KubeControllerManager = S("kube-controller-manager", version),
                KubeScheduler = S("kube-scheduler", version), Etcd = S("etcd", "3.5.15-0"),
            });
        }
        var workers = nodes.Where(n => !n.IsControlPlane).Select(n => n.Name).ToArray();
        var appPods = podCount - nodeCount;
        var deployments = (appPods + 9) / 10;
        var pdbs = new List<PdbState>(pdbCount);
        var next = 0;
        for (var d = 0; d < deployments; d++)
        {
            var ns = $"team-{d / 100}";
            var app = $"app-{d}";
            var labels = new Dictionary<string, string> { ["app"] = app, ["tier"] = d % 2 == 0 ? "web" : "backend" };
            var rs = new OwnerRef("ReplicaSet", $"{app}-7d9f", $"rs-{d}");
            var dep = new OwnerRef("Deployment", app, $"dep-{d}");
            for (var r = 0; r < 10 && podsList.Count < podCount; r++)
            {
                podsList.Add(new PodState
                {
                    Namespace = ns, Name = $"{app}-7d9f-{r}", NodeName = workers[next++ % workers.Length], Labels = labels,
                    Controller = rs, Workload = dep, Requests = new ResourceAmounts(500, 1L << 30, 1), Phase = "Running", Ready = true,
                });
            }
            if (d < pdbCount)
                pdbs.Add(new PdbState
                {
                    Namespace = ns, Name = app, Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
                    MaxUnavailable = d % 5 == 0 ? null : IntOrString.FromInt(1), MinAvailable = d % 5 == 0 ? IntOrString.FromString("50%") : null,
                    DisruptionsAllowed = 1, CurrentHealthy = 10, DesiredHealthy = 9, ExpectedPods = 10,
                });
        }
        return new ClusterSnapshot
        {
            Source = "generated", ApiServerVersion = v, KubeadmKubernetesVersion = v, Nodes = nodes, Pods = podsList, Pdbs = pdbs,
            ControlPlane = cp, KubeProxyImage = $"registry.k8s.io/kube-proxy:{version}", KubeProxyVersion = v,
            CoreDnsImage = "registry.k8s.io/coredns/coredns:v1.11.1", CoreDnsVersion = "v1.11.1",
        };
    }

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static string OptionText(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
