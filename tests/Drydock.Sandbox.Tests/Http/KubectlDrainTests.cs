using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>kubectl drain against the built-in scenario, time running 10x so grace periods pass quickly.</summary>
public sealed class KubectlDrainTests : IAsyncLifetime
{
    private SandboxHost _host = null!;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync(new SandboxHostOptions { Time = new ScaledTimeProvider(10) });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string WorkerWithout(string app) =>
        _host.Cluster.Objects<Node>().Select(n => n.Metadata.Name!).Where(n => n.StartsWith("worker-"))
            .First(n => !_host.Cluster.Objects<Pod>().Any(p => p.Spec!.NodeName == n && p.Metadata.Labels?.GetValueOrDefault("app") == app));

    private string WorkerWith(string app) =>
        _host.Cluster.Objects<Pod>().First(p => p.Metadata.Labels?.GetValueOrDefault("app") == app).Spec!.NodeName!;

    [Fact]
    public async Task Should_drain_a_node_with_kubectls_output_when_pdbs_allow_it()
    {
        // Given a worker without the blocked payments pods
        var node = WorkerWithout("payments");
        var evictable = _host.Cluster.Objects<Pod>().Where(p => p.Spec!.NodeName == node && p.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet") != true).ToList();

        // When kubectl drains it
        var r = await Kubectl.RunAsync(_host.KubeconfigPath, TimeSpan.FromSeconds(90), "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout", "60s");

        // Then it succeeds with kubectl's lines and only DaemonSet pods remain on the node
        r.ExitCode.Should().Be(0, r.All);
        r.Stdout.Should().StartWith($"node/{node} cordoned");
        r.Stdout.Should().EndWith($"node/{node} drained\n");
        foreach (var p in evictable)
        {
            r.Stdout.Should().Contain($"evicting pod {p.Metadata.Namespace}/{p.Metadata.Name}");
            r.Stdout.Should().Contain($"pod/{p.Metadata.Name} evicted");
        }
        r.Stderr.Should().Contain("Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-");
        _host.Cluster.Objects<Pod>().Where(p => p.Spec!.NodeName == node)
            .Should().OnlyContain(p => p.Metadata.OwnerReferences!.Any(o => o.Kind == "DaemonSet"));
        _host.Cluster.Stats.Violations.Should().BeEmpty();
        _host.Cluster.Stats.Count("CREATE pods/eviction").Should().BeGreaterThanOrEqualTo(evictable.Count);
    }

    [Fact]
    public async Task Should_retry_every_5s_and_time_out_when_the_pdb_blocks()
    {
        // Given the node running a payments pod (PDB minAvailable = replicas)
        var node = WorkerWith("payments");

        // When kubectl drains it with a 10 s timeout, only looking at payments pods
        var r = await Kubectl.RunAsync(_host.KubeconfigPath, TimeSpan.FromSeconds(60), "drain", node, "--ignore-daemonsets", "--pod-selector", "app=payments", "--timeout", "10s");

        // Then it reports the 429 and gives up
        r.ExitCode.Should().Be(1);
        r.Stderr.Should().Contain("(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.");
        r.Stderr.Should().Contain($"error: unable to drain node \"{node}\"");
        _host.Cluster.Objects<Pod>("shop").Count(p => p.Metadata.Labels?.GetValueOrDefault("app") == "payments" && p.Metadata.DeletionTimestamp is null).Should().Be(2);
        _host.Cluster.Stats.EvictionsRejected.Should().BeGreaterThanOrEqualTo(2);
    }
}
