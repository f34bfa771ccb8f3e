using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// Each scenario runs twice on identical fresh sandboxes (the built-in cluster, time ×10): once with the real
/// `kubectl drain` (/usr/bin/kubectl), once with `drydock drain` (the built CLI as a process). Both must remove the
/// same pods, print equivalent progress, refusal, warning and retry lines, and exit with the same code.
/// </summary>
public sealed class DrainParityTests
{
    /// <summary>A scenario: how to build the arguments from the cluster, and the nodes whose pods to compare.</summary>
    public sealed record Case(string Name, Func<SandboxCluster, (string[] Args, string[] Nodes)> Build, int ExitCode)
    {
        public override string ToString() => Name;
    }

    private static string[] Workers(SandboxCluster c) =>
        c.Objects<Node>().Select(n => n.Metadata.Name!).Where(n => n.StartsWith("worker-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private static bool Runs(SandboxCluster c, string node, string app) =>
        c.Objects<Pod>().Any(p => p.Spec!.NodeName == node && (p.Metadata.Labels?.GetValueOrDefault("app") == app || p.Metadata.Name == app));

    private static string With(SandboxCluster c, string app) => Workers(c).First(n => Runs(c, n, app));
    private static string Without(SandboxCluster c, string app) => Workers(c).First(n => !Runs(c, n, app));

    private static string[] TwoWorkers(SandboxCluster c) => [With(c, "debug-shell"), Workers(c).First(n => n != With(c, "debug-shell"))];

    private static readonly string[] Usual = ["--ignore-daemonsets", "--delete-emptydir-data", "--force"];

    public static TheoryData<Case> Cases => new()
    {
        new("DaemonSet, emptyDir and naked pods refuse without flags", c => ([ "drain", With(c, "debug-shell") ], [With(c, "debug-shell")]), 1),
        new("usual flags drain a worker", c => ([ "drain", Without(c, "payments"), .. Usual, "--timeout=60s" ], [Without(c, "payments")]), 0),
        new("--pod-selector limits the drain", c => ([ "drain", With(c, "web"), "--ignore-daemonsets", "--pod-selector=app=web", "--timeout=60s" ], [With(c, "web")]), 0),
        new("a budget that never allows it times out", c => ([ "drain", With(c, "payments"), "--ignore-daemonsets", "--pod-selector=app=payments", "--timeout=3s" ], [With(c, "payments")]), 1),
        new("--dry-run=client changes nothing", c => ([ "drain", Without(c, "payments"), .. Usual, "--dry-run=client" ], [Without(c, "payments")]), 0),
        new("--dry-run=server changes nothing", c => ([ "drain", Without(c, "payments"), .. Usual, "--dry-run=server" ], [Without(c, "payments")]), 0),
        new("--disable-eviction deletes", c => ([ "drain", Without(c, "payments"), .. Usual, "--disable-eviction", "--timeout=60s" ], [Without(c, "payments")]), 0),
        // The third worker stays schedulable so replacements (and the budgets) can recover.
        new("several nodes: a failure continues with the next", c => ([ "drain", .. TwoWorkers(c), "--ignore-daemonsets", "--delete-emptydir-data", "--pod-selector=app!=payments", "--timeout=30s" ], TwoWorkers(c)), 1),
        new("-l selects nodes", c => ([ "drain", "-l", $"kubernetes.io/hostname={Without(c, "payments")}", .. Usual, "--timeout=60s" ], [Without(c, "payments")]), 0),
        new("an unknown node aborts before cordoning", c => ([ "drain", Without(c, "payments"), "nope", .. Usual ], [Without(c, "payments")]), 1),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_behave_like_kubectl_drain(Case c)
    {
        // Given two identical fresh sandboxes
        await using var forKubectl = await SandboxHost.StartAsync(new SandboxHostOptions { Time = new ScaledTimeProvider(10) });
        await using var forDrydock = await SandboxHost.StartAsync(new SandboxHostOptions { Time = new ScaledTimeProvider(10) });
        Placement(forDrydock.Cluster).Should().Equal(Placement(forKubectl.Cluster), "both runs must start from the same state");
        var (args, nodes) = c.Build(forKubectl.Cluster);
        var beforeK = PodsOn(forKubectl.Cluster, nodes);
        var beforeD = PodsOn(forDrydock.Cluster, nodes);

        // When kubectl drains one and drydock the other
        var runs = await Task.WhenAll(
            Kubectl.RunAsync(forKubectl.KubeconfigPath, TimeSpan.FromSeconds(90), args),
            DrydockProcess.RunAsync(forDrydock.KubeconfigPath, TimeSpan.FromSeconds(90), args));
        var (kubectl, drydock) = (DrainOutput.Parse(runs[0]), DrainOutput.Parse(runs[1]));
        var because = $"\n--- kubectl (exit {runs[0].ExitCode}):\n{runs[0].All}\n--- drydock (exit {runs[1].ExitCode}):\n{runs[1].All}";

        // Then the same exit code, the same pods removed, and equivalent lines
        drydock.ExitCode.Should().Be(c.ExitCode, because);
        kubectl.ExitCode.Should().Be(c.ExitCode, because);
        Removed(forDrydock.Cluster, beforeD).Should().BeEquivalentTo(Removed(forKubectl.Cluster, beforeK), because);
        drydock.ProgressLines.Should().BeEquivalentTo(kubectl.ProgressLines, because);
        drydock.Refusals.Should().BeEquivalentTo(kubectl.Refusals, because);
        kubectl.Warnings.Except(drydock.Warnings).Should().BeEmpty("kubectl's warnings are a subset of Drydock's" + because);
        // Which of two pods under one budget is refused first is a race (in kubectl too): compare the namespaces.
        drydock.RetriedPods.Select(p => p.Split('/')[0]).Distinct().Should().BeEquivalentTo(kubectl.RetriedPods.Select(p => p.Split('/')[0]).Distinct(), because);
        drydock.PendingNodes.Should().BeEquivalentTo(kubectl.PendingNodes, because);
        drydock.ServerErrors.Should().BeEquivalentTo(kubectl.ServerErrors, because);
        forDrydock.Cluster.Stats.Violations.Should().BeEmpty();
    }

    private static List<string> Placement(SandboxCluster c) =>
        c.Objects<Pod>().Select(p => $"{p.Spec!.NodeName} {p.Metadata.Namespace}/{p.Metadata.Name}").Order(StringComparer.Ordinal).ToList();

    private static Dictionary<string, string> PodsOn(SandboxCluster c, string[] nodes) =>
        c.Objects<Pod>().Where(p => nodes.Contains(p.Spec!.NodeName)).ToDictionary(p => $"{p.Metadata.Namespace}/{p.Metadata.Name}", p => p.Metadata.Uid!);

    /// <summary>Pods that were on the nodes and are gone or replaced (a StatefulSet pod comes back with a new UID).</summary>
    private static List<string> Removed(SandboxCluster c, Dictionary<string, string> before)
    {
        var now = c.Objects<Pod>().ToDictionary(p => $"{p.Metadata.Namespace}/{p.Metadata.Name}", p => p.Metadata.Uid!);
        return before.Where(kv => !now.TryGetValue(kv.Key, out var uid) || uid != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
    }
}
