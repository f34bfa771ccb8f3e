using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>Drydock's own HTTP Kubernetes client against the served sandbox: same answers as the in-process client.</summary>
public sealed class DrydockKubeClientTests
{
    [Fact]
    public async Task Should_list_patch_and_get_the_apiservers_429_over_http()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Time = new ScaledTimeProvider(10) });
        var client = KubeClient.ForServer(host.BaseUrl);

        (await client.GetVersionAsync()).GitVersion.Should().Be("v1.27.16");
        var nodes = await client.ListAsync<Node>(ResourceKind.Nodes, new ListOptions { Limit = 2 });
        nodes.Items.Should().HaveCount(2);
        nodes.Metadata!.Continue.Should().NotBeNullOrEmpty();
        var patched = await client.PatchAsync<Node>(ResourceKind.Nodes, null, "worker-1", PatchType.StrategicMerge, """{"spec":{"unschedulable":true}}""");
        patched.Spec!.Unschedulable.Should().BeTrue();

        var payments = (await client.ListAsync<Pod>(ResourceKind.Pods, new ListOptions { Namespace = "shop", LabelSelector = "app=payments" })).Items;
        payments.Should().HaveCount(2);
        var evict = async () => await client.EvictAsync("shop", payments[0].Metadata.Name!);
        var e = (await evict.Should().ThrowAsync<KubeApiException>()).Which;
        e.Code.Should().Be(429);
        e.Message.Should().Be(SandboxCluster.EvictionBlockedMessage);
        host.Cluster.Stats.Count("CREATE pods/eviction").Should().BeGreaterThanOrEqualTo(1);
    }
}
