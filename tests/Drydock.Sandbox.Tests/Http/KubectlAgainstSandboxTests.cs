using System.Text.Json.Nodes;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>Real kubectl against a served sandbox (the loaded HA fixture).</summary>
public sealed class KubectlAgainstSandboxTests : IAsyncLifetime
{
    private SandboxHost _host = null!;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync(new SandboxHostOptions { StateJson = Fixtures.HaSnapshot });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_list_nodes_as_json_when_kubectl_gets_nodes()
    {
        // Given the HA fixture served  When kubectl gets nodes as JSON
        var r = await Kubectl.RunAsync(_host.KubeconfigPath, "get", "nodes", "-o", "json");

        // Then it parses and names all eight nodes
        r.ExitCode.Should().Be(0, r.Stderr);
        var items = JsonNode.Parse(r.Stdout)!["items"]!.AsArray();
        items.Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Should().BeEquivalentTo(
            ["cp-1", "cp-2", "cp-3", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"]);
    }

    [Fact]
    public async Task Should_print_the_node_table_when_kubectl_gets_nodes()
    {
        var r = await Kubectl.RunAsync(_host.KubeconfigPath, "get", "nodes");

        r.ExitCode.Should().Be(0, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$");
        lines.Should().Contain(l => l.StartsWith("cp-1 ") && l.Contains("Ready") && l.Contains("control-plane") && l.EndsWith("v1.27.16"));
    }

    [Fact]
    public async Task Should_list_pods_in_all_namespaces_and_pdbs_as_json()
    {
        var pods = await Kubectl.RunAsync(_host.KubeconfigPath, "get", "pods", "-A", "-o", "json");
        var pdbs = await Kubectl.RunAsync(_host.KubeconfigPath, "get", "pdb", "-A", "-o", "json");

        pods.ExitCode.Should().Be(0, pods.Stderr);
        JsonNode.Parse(pods.Stdout)!["items"]!.AsArray().Count.Should().Be(46);
        pdbs.ExitCode.Should().Be(0, pdbs.Stderr);
        var payments = JsonNode.Parse(pdbs.Stdout)!["items"]!.AsArray().Single(p => p!["metadata"]!["name"]!.GetValue<string>() == "payments-pdb")!;
        payments["status"]!["disruptionsAllowed"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Should_cordon_and_uncordon_a_node()
    {
        var cordon = await Kubectl.RunAsync(_host.KubeconfigPath, "cordon", "worker-1");
        cordon.Stdout.Trim().Should().Be("node/worker-1 cordoned", cordon.Stderr);
        _host.Cluster.Objects<Drydock.Kube.Models.Node>().Single(n => n.Metadata.Name == "worker-1").Spec!.Unschedulable.Should().BeTrue();

        var again = await Kubectl.RunAsync(_host.KubeconfigPath, "cordon", "worker-1");
        again.Stdout.Trim().Should().Be("node/worker-1 already cordoned");

        var uncordon = await Kubectl.RunAsync(_host.KubeconfigPath, "uncordon", "worker-1");
        uncordon.Stdout.Trim().Should().Be("node/worker-1 uncordoned", uncordon.Stderr);
        _host.Cluster.Objects<Drydock.Kube.Models.Node>().Single(n => n.Metadata.Name == "worker-1").Spec!.Unschedulable.Should().BeNull();
    }
}
