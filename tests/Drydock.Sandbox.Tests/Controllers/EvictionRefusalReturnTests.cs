using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The eviction subresource hands a refusal back to the in-process client instead of throwing it, and the
/// throwing entry point (the HTTP front's) refuses with the very same Status.</summary>
public sealed class EvictionRefusalReturnTests
{
    [Fact]
    public async Task Should_return_the_refusal_that_the_throwing_entry_point_throws()
    {
        // Given shop/web (3 replicas, maxUnavailable 1) whose budget one eviction has spent
        using var v = new VirtualCluster();
        var web = v.Pods("web");
        await v.Client.EvictAsync("shop", web[0].Metadata.Name!);
        var rejectedBefore = v.Cluster.Stats.EvictionsRejected;

        // When a second pod is evicted through both entry points
        var returned = v.Cluster.Evict("shop", web[1].Metadata.Name!, null, dryRun: false);
        var thrown = FluentActions.Invoking(() => v.Cluster.ApiEvict("shop", web[1].Metadata.Name!, null, dryRun: false))
            .Should().Throw<KubeApiException>().Which;

        // Then both refuse with the budget's 429, word for word, the pod stays and both refusals are counted
        returned.Should().NotBeNull();
        returned!.Code.Should().Be(429);
        KubeJson.Serialize(returned.Status).Should().Be(KubeJson.Serialize(thrown.Status));
        returned.Message.Should().Be(thrown.Message);
        returned.Status.Details!.Causes![0].Message.Should().Be("The disruption budget web needs 2 healthy pods and has 2 currently");
        v.Pods("web").Should().Contain(p => p.Metadata.Name == web[1].Metadata.Name && p.Metadata.DeletionTimestamp == null);
        v.Cluster.Stats.EvictionsRejected.Should().Be(rejectedBefore + 2);
    }

    [Fact]
    public void Should_return_nothing_for_an_accepted_eviction_and_still_throw_for_a_missing_pod()
    {
        using var v = new VirtualCluster();
        var pod = v.Pods("web")[0].Metadata.Name!;

        v.Cluster.Evict("shop", pod, null, dryRun: false).Should().BeNull();
        v.Pods("web").Single(p => p.Metadata.Name == pod).Metadata.DeletionTimestamp.Should().NotBeNull();

        FluentActions.Invoking(() => v.Cluster.Evict("shop", "no-such-pod", null, dryRun: false))
            .Should().Throw<KubeApiException>().Which.IsNotFound.Should().BeTrue();
    }
}
