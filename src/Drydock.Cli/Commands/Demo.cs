using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Nodes.Sandbox;
using Drydock.Sandbox;
using Drydock.Sandbox.Cluster;
using Spectre.Console;

namespace Drydock.Cli.Commands;

/// <summary>
/// `drydock demo`: starts the built-in sandbox cluster in-process and shows what Drydock sees and would do — the node
/// inventory (from the API and the nodes' package facts) and the upgrade to the next minor: kubeadm's plan and, node
/// by node, the steps and what draining each node would meet (PDBs that block). Nothing outside the sandbox is touched.
/// </summary>
[CliCommand(95)]
internal static class DemoCommand
{
    public static Command Create(CliServices services)
    {
        var scenario = new Option<string>("--scenario") { Description = "Built-in cluster to start: default or ha", DefaultValueFactory = _ => "default" };
        var command = new Command("demo", "Start a sandbox kubeadm cluster and show the node inventory and what an upgrade would do") { scenario };
        command.SetHandler(services, async (parse, ct) =>
        {
            var name = parse.GetValue(scenario)!;
            if (!Drydock.Sandbox.Scenarios.BuiltInScenario.Names.Contains(name))
                throw new Common.DrydockException(new Common.UsageError($"unknown --scenario \"{name}\" (known: default, ha)"));
            var fast = new NodeStepDurations { Query = TimeSpan.Zero, SwitchRepository = TimeSpan.Zero, KubeadmPlan = TimeSpan.Zero };
            await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Scenario = name, Cluster = new SandboxOptions { StepDurations = fast } }, ct);
            using var agents = new SandboxNodeAgentFactory(host.BaseUrl);
            await RunAsync(services.Out, host, host.Cluster.CreateClient(), agents, ct);
            return ErrorPresenter.Ok;
        });
        return command;
    }

    internal static async Task RunAsync(IAnsiConsole o, SandboxHost host, IKubeClient kube, INodeAgentFactory agents, CancellationToken ct)
    {
        var version = await kube.GetVersionAsync(ct);
        var nodes = (await kube.ListAsync<Node>(ResourceKind.Nodes, new ListOptions(), ct)).Items;
        var pods = (await kube.ListAsync<Pod>(ResourceKind.Pods, new ListOptions(), ct)).Items;
        var pdbs = (await kube.ListAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, new ListOptions(), ct)).Items;
        var controlPlanes = nodes.Where(IsControlPlane).Select(n => n.Metadata.Name!).ToList();
        var workers = nodes.Where(n => !IsControlPlane(n)).Select(n => n.Metadata.Name!).ToList();
        o.WriteLine($"Drydock demo: a simulated kubeadm cluster {version.GitVersion} ({controlPlanes.Count} control plane, {workers.Count} workers, {pods.Count} pods)");
        o.WriteLine($"Kubernetes API: {host.BaseUrl.GetLeftPart(UriPartial.Authority)}  kubeconfig: {host.KubeconfigPath}");
        o.WriteLine();

        o.WriteLine("Nodes (API objects, plus package facts from each node's agent):");
        // kubectl-style columns (plain padded text stays readable on 80-column pipes, where tables wrap).
        const string row = "{0,-10} {1,-14} {2,-9} {3,-9} {4,-8} {5,-4} {6,-5} {7,-6} {8}";
        o.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, row, "NODE", "ROLE", "STATUS", "KUBELET", "KUBEADM", "PKG", "HELD", "REPO", "PODS"));
        foreach (var n in nodes)
        {
            var facts = (await agents.For(n.Metadata.Name!).RunAsync(new QueryNodeFacts(), ct)).Facts!;
            var ready = n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "Ready" : "NotReady";
            o.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, row, n.Metadata.Name, IsControlPlane(n) ? "control-plane" : "worker",
                n.Spec?.Unschedulable == true ? "Cordoned" : ready, n.Status?.NodeInfo?.KubeletVersion ?? "?", facts.Installed.GetValueOrDefault("kubeadm", "-"),
                facts.PackageManager, facts.Held.Count == 3 ? "all" : string.Join(",", facts.Held), $"v{facts.RepositoryMinor}",
                pods.Count(p => p.Spec?.NodeName == n.Metadata.Name)));
        }
        o.WriteLine();

        // kubeadm upgrades one minor at a time and pkgs.k8s.io is per minor: point the first control plane's
        // repository at the next minor to see its versions, then ask kubeadm for the plan.
        var first = controlPlanes[0];
        var agent = agents.For(first);
        var current = version.GitVersion.TrimStart('v').Split('.');
        var nextMinor = $"{current[0]}.{int.Parse(current[1], System.Globalization.CultureInfo.InvariantCulture) + 1}";
        await agent.RunAsync(new SwitchRepository(nextMinor), ct);
        var available = (await agent.RunAsync(new ListAvailableVersions("kubeadm"), ct)).Versions ?? [];
        var target = available.LastOrDefault() ?? $"{nextMinor}.0";
        o.WriteLine($"Upgrade to v{target} (the newest patch of the next minor; kubeadm moves one minor at a time)");
        var plan = await agent.RunAsync(new KubeadmUpgradePlan(target), ct);
        o.WriteLine($"$ {plan.CommandLine}   (on {first})");
        foreach (var line in plan.Stdout.TrimEnd().Split('\n')) o.WriteLine("  " + line);
        o.WriteLine();

        o.WriteLine("Node by node: control planes first, then workers one at a time");
        var now = host.Cluster.Time.GetUtcNow();
        foreach (var node in controlPlanes.Concat(workers))
        {
            var upgrade = node == first ? $"kubeadm upgrade apply v{target}" : "kubeadm upgrade node";
            o.WriteLine($"  {node}: switch repo to v{nextMinor}, install kubeadm {target}, {upgrade}, drain, install kubelet+kubectl {target}, restart kubelet, uncordon");
            var drain = DrainPlanner.Plan(new NodeDrainSnapshot
            {
                NodeName = node, Pods = pods.Where(p => p.Spec?.NodeName == node).ToList(), Pdbs = pdbs, ClusterPods = pods, Now = now,
            }, new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = true, Force = true });
            var evict = drain.ToEvict.Select(p => $"{p.Metadata.Namespace}/{p.Metadata.Name}").ToList();
            o.WriteLine($"    drain evicts {evict.Count} pod(s){(evict.Count > 0 ? ": " + string.Join(", ", evict) : "")}");
            foreach (var pdb in drain.Pdbs.Where(p => p.Outlook != PdbOutlook.Allows))
                o.WriteLine($"    {(pdb.Outlook == PdbOutlook.CannotFinish ? "BLOCKED" : "waits")} by PDB {pdb.FullName} ({pdb.Numbers}): {pdb.Explanation}");
        }
        o.WriteLine();
        o.WriteLine("Try it yourself: `drydock sandbox serve`, then `export KUBECONFIG=<the path it prints>` and `kubectl get nodes`.");
    }

    private static bool IsControlPlane(Node n) => n.Metadata.Labels?.ContainsKey("node-role.kubernetes.io/control-plane") == true;
}
