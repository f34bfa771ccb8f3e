using Drydock.Cli.Tests.Infrastructure;
using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Kube.Watching;
using Drydock.Sandbox;

namespace Drydock.Cli.Tests.Kube;

/// <summary>The client and the first commands against the sandbox's real HTTP Kubernetes API (built-in "ha" scenario).</summary>
public sealed class AgainstSandboxTests : IAsyncLifetime
{
    private SandboxHost _host = null!;

    public async Task InitializeAsync() => _host = await SandboxHost.StartAsync(new SandboxHostOptions { Scenario = "ha" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Should_print_versions_and_nodes_from_the_sandbox()
    {
        // Given the sandbox's own kubeconfig
        var cli = new CliHarness();
        cli.Env["KUBECONFIG"] = _host.KubeconfigPath;

        // When running drydock version and drydock nodes
        var version = await cli.RunAsync("version");
        var nodes = await cli.RunAsync("nodes");

        // Then the server's version and one Ready row per sandbox node come back
        version.ExitCode.Should().Be(0, version.ToString());
        version.Stdout.Should().MatchRegex(@"^Client Version: v\S+\nServer Version: v1\.\d+\.\d+\n$");
        nodes.ExitCode.Should().Be(0, nodes.ToString());
        var names = _host.Cluster.Objects<Node>().Select(n => n.Metadata.Name!).Order(StringComparer.Ordinal).ToList();
        var rows = nodes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        rows.Select(r => r.Split(' ')[0]).Should().Equal(names);
        rows.Should().OnlyContain(r => r.Contains(" Ready "));
    }

    [Fact]
    public async Task Should_see_a_cordon_through_a_watch_on_the_sandbox()
    {
        // Given a watcher on nodes that has finished its initial list
        using var client = KubeClient.ForServer(_host.BaseUrl);
        var watcher = new Watcher<Node>(client, ResourceKind.Nodes, new ListOptions(), TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = watcher.RunAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        while (await events.MoveNextAsync() && events.Current.Type != Watcher<Node>.Synced) { }
        var target = _host.Cluster.Objects<Node>().Select(n => n.Metadata.Name!).Order(StringComparer.Ordinal).Last();

        // When cordoning a node with the strategic-merge patch kubectl sends
        var patched = await client.PatchNodeUnschedulableAsync(target, true, ct: cts.Token);

        // Then the watch delivers that node MODIFIED with spec.unschedulable set
        patched.Spec!.Unschedulable.Should().BeTrue();
        WatchEvent<Node>? seen = null;
        while (await events.MoveNextAsync())
            if (events.Current is { Type: WatchEvent<Node>.Modified, Object.Metadata.Name: var n } ev && n == target && ev.Object.Spec?.Unschedulable == true) { seen = ev; break; }
        seen.Should().NotBeNull();
        await events.DisposeAsync();
    }
}
