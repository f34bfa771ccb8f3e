using System.CommandLine;
using Drydock.Cli.Infrastructure;
using Drydock.Drain;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Nodes;
using Drydock.Nodes.Sandbox;
using Drydock.Sandbox;
using Drydock.Sandbox.Cluster;

namespace Drydock.Cli.Commands;

/// <summary>
/// `drydock demo`: starts the built-in sandbox cluster in-process (simulated time runs faster than the clock) and does
/// Drydock's main job on it, through the same commands a user types: the inventory, `drydock plan` (which finds the
/// PDB that would block the upgrade), the remedy the plan names, `drydock upgrade` of every node to the next minor,
/// and the result — with the sandbox's count of PDB violations. Nothing outside the sandbox is touched.
/// </summary>
[CliCommand(95)]
internal static class DemoCommand
{
    public static Command Create(CliServices services)
    {
        var scenario = new Option<string>("--scenario") { Description = "Built-in cluster to start: default or ha", DefaultValueFactory = _ => "default" };
        var timeScale = new Option<double>("--time-scale") { Description = "How much faster than the wall clock the sandbox runs", DefaultValueFactory = _ => 20 };
        var planOnly = new Option<bool>("--plan-only") { Description = "Stop after the plan: show what would happen without upgrading" };
        var command = new Command("demo", "Start a sandbox kubeadm cluster and upgrade it to the next minor, as `drydock plan` and `drydock upgrade` would a real one")
        {
            scenario, timeScale, planOnly,
        };
        command.SetHandler(services, async (parse, ct) =>
        {
            var name = parse.GetValue(scenario)!;
            if (!Drydock.Sandbox.Scenarios.BuiltInScenario.Names.Contains(name))
                throw new Common.DrydockException(new Common.UsageError($"unknown --scenario \"{name}\" (known: default, ha)"));
            var scale = parse.GetValue(timeScale);
            if (scale is < 1 or > 1000) throw new Common.DrydockException(new Common.UsageError($"--time-scale must be between 1 and 1000, got {scale}"));
            var fast = new NodeStepDurations { Query = TimeSpan.Zero, SwitchRepository = TimeSpan.Zero, KubeadmPlan = TimeSpan.Zero };
            await using var host = await SandboxHost.StartAsync(new SandboxHostOptions
            {
                Scenario = name, Time = new ScaledTimeProvider(scale, services.Time), Cluster = new SandboxOptions { StepDurations = fast },
            }, ct);
            using var agents = new SandboxNodeAgentFactory(host.BaseUrl);
            return await RunAsync(services, host, agents, scale, parse.GetValue(planOnly), ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(CliServices services, SandboxHost host, INodeAgentFactory agents, double scale, bool planOnly, CancellationToken ct)
    {
        var o = services.Out.Profile.Out.Writer;
        var kube = host.Cluster.CreateClient();
        var version = await kube.GetVersionAsync(ct);
        var nodes = (await kube.ListAsync<Node>(ResourceKind.Nodes, new ListOptions(), ct)).Items;
        var pods = (await kube.ListAsync<Pod>(ResourceKind.Pods, new ListOptions(), ct)).Items;
        var controlPlanes = nodes.Where(IsControlPlane).Select(n => n.Metadata.Name!).ToList();
        o.WriteLine($"Drydock demo: a simulated kubeadm cluster {version.GitVersion} ({controlPlanes.Count} control plane(s), {nodes.Count - controlPlanes.Count} workers, {pods.Count} pods), time {scale:0.#}x faster than the clock");
        o.WriteLine($"Kubernetes API: {host.BaseUrl.GetLeftPart(UriPartial.Authority)}  kubeconfig: {host.KubeconfigPath}");
        o.WriteLine();

        o.WriteLine("Nodes (API objects, plus package facts from each node's agent):");
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

        // kubeadm moves one minor at a time and pkgs.k8s.io is per minor: the newest patch of the next minor.
        var agent = agents.For(controlPlanes[0]);
        var current = version.GitVersion.TrimStart('v').Split('.');
        var nextMinor = $"{current[0]}.{int.Parse(current[1], System.Globalization.CultureInfo.InvariantCulture) + 1}";
        await agent.RunAsync(new SwitchRepository(nextMinor), ct);
        var target = "v" + ((await agent.RunAsync(new ListAvailableVersions("kubeadm"), ct)).Versions?.LastOrDefault() ?? $"{nextMinor}.0");

        var kubeconfig = new[] { "--kubeconfig", host.KubeconfigPath };
        var planExit = await Step(services, o, $"drydock plan --to {target}", ["plan", "--to", target, .. kubeconfig], ct);
        if (planOnly) return planExit;
        if (planExit != 0)
        {
            // The plan names the blocker and its remedy; the demo applies the remedy the way an operator would.
            var blockers = (await kube.ListAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, new ListOptions(), ct)).Items
                .Where(p => p.Status is { DisruptionsAllowed: 0 } && p.Spec?.MinAvailable?.IntValue is int)
                .ToList();
            foreach (var pdb in blockers)
            {
                var deployment = (await kube.ListAsync<Deployment>(ResourceKind.Deployments, new ListOptions { Namespace = pdb.Metadata.Namespace }, ct)).Items
                    .FirstOrDefault(d => d.Spec?.Template?.Metadata?.Labels is { } labels && pdb.Spec!.Selector?.MatchLabels?.All(kv => labels.GetValueOrDefault(kv.Key) == kv.Value) == true);
                if (deployment is null) continue;
                var replicas = pdb.Spec!.MinAvailable!.IntValue!.Value + 1;
                o.WriteLine($"$ kubectl -n {pdb.Metadata.Namespace} scale deployment {deployment.Metadata.Name} --replicas={replicas}   (the plan's remedy for PDB {pdb.Metadata.Namespace}/{pdb.Metadata.Name})");
                await kube.PatchAsync<Deployment>(ResourceKind.Deployments, pdb.Metadata.Namespace, deployment.Metadata.Name!, PatchType.Merge,
                    $"{{\"spec\":{{\"replicas\":{replicas}}}}}", ct: ct);
                await WaitForBudgetAsync(kube, services.Time, pdb.Metadata.Namespace!, pdb.Metadata.Name!, ct);
            }
            o.WriteLine();
        }

        var journal = Path.Combine(Path.GetTempPath(), $"drydock-demo-{Environment.ProcessId}.jsonl");
        var upgradeExit = await Step(services, o, $"drydock upgrade --to {target} --transport sandbox --max-unavailable 2 --force --delete-emptydir-data --yes",
            ["upgrade", "--to", target, "--transport", "sandbox", "--max-unavailable", "2", "--force", "--delete-emptydir-data", "--yes", "--journal", journal, .. kubeconfig], ct);
        await Step(services, o, "drydock nodes", ["nodes", .. kubeconfig], ct);

        var stats = host.Cluster.Stats;
        o.WriteLine($"Sandbox: {stats.TotalRequests} API requests, {stats.EvictionsAccepted} evictions accepted, {stats.EvictionsRejected} refused by a PDB (and retried), {stats.Violations.Count} PDB violations.");
        o.WriteLine("Try it yourself: `drydock sandbox serve`, then `export KUBECONFIG=<the path it prints>` and `kubectl get nodes` or any drydock command.");
        o.Flush();
        return upgradeExit != 0 ? upgradeExit : stats.Violations.Count == 0 ? ErrorPresenter.Ok : ErrorPresenter.Failed;
    }

    /// <summary>Runs one drydock command exactly as the user would type it, against the sandbox's kubeconfig.</summary>
    private static async Task<int> Step(CliServices services, TextWriter o, string shown, string[] args, CancellationToken ct)
    {
        o.WriteLine($"$ {shown}");
        o.Flush();
        var exit = await CliApp.RunAsync(args, services, ct);
        o.WriteLine();
        return exit;
    }

    private static async Task WaitForBudgetAsync(IKubeClient kube, TimeProvider time, string ns, string name, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var pdb = await kube.GetAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, ns, name, timeout.Token);
            if (pdb.Status?.DisruptionsAllowed > 0) return;
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, timeout.Token);
        }
    }

    private static bool IsControlPlane(Node n) => n.Metadata.Labels?.ContainsKey("node-role.kubernetes.io/control-plane") == true;
}
