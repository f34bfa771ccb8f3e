using Drydock.Nodes;
using Drydock.Nodes.Sandbox;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>The library's HTTP node agent against a served sandbox (as --transport sandbox uses it).</summary>
public sealed class SandboxNodeAgentFactoryTests
{
    [Fact]
    public async Task Should_run_steps_over_http_on_the_api_listener()
    {
        var fast = new SandboxOptions { StepDurations = new NodeStepDurations { Query = TimeSpan.Zero, SwitchRepository = TimeSpan.Zero, InstallPackages = TimeSpan.Zero } };
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Cluster = fast });
        using var factory = new SandboxNodeAgentFactory(host.BaseUrl);
        var agent = factory.For("worker-1");

        var facts = await agent.RunAsync(new QueryNodeFacts());
        (await agent.RunAsync(new SwitchRepository("1.28"))).ExitCode.Should().Be(0);
        var install = await agent.RunAsync(new InstallPackages(["kubeadm"], "1.28.4"));
        var unknown = async () => await factory.For("nope").RunAsync(new QueryNodeFacts());

        facts.Facts!.Installed["kubelet"].Should().Be("1.27.16");
        install.ExitCode.Should().Be(0);
        install.Step.Should().BeOfType<InstallPackages>().Which.Version.Should().Be("1.28.4");
        install.CommandLine.Should().Be("apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.28.4-1.1' && apt-mark hold kubeadm");
        (await unknown.Should().ThrowAsync<NodeAgentException>()).Which.Message.Should().Contain("no such node");
        host.Cluster.CommandLog("worker-1").Should().HaveCount(3);
    }
}
