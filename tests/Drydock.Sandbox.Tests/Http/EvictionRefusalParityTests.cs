using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>A refused eviction reads the same through the in-process client as through the HTTP server, although the
/// in-process client hands it back as a faulted task instead of throwing it again.</summary>
public sealed class EvictionRefusalParityTests
{
    [Fact]
    public async Task Should_refuse_an_eviction_with_the_same_Status_in_process_as_over_http()
    {
        // Given the served sandbox, whose payments budget allows no disruption
        await using var host = await SandboxHost.StartAsync(new SandboxHostOptions { Time = new ScaledTimeProvider(10) });
        var http = KubeClient.ForServer(host.BaseUrl);
        var inProcess = host.Cluster.CreateClient();
        var pod = (await http.ListAsync<Pod>(ResourceKind.Pods, new ListOptions { Namespace = "shop", LabelSelector = "app=payments" })).Items[0].Metadata.Name!;

        // When the same pod is evicted over HTTP and in process
        var overHttp = (await FluentActions.Awaiting(() => http.EvictAsync("shop", pod)).Should().ThrowAsync<KubeApiException>()).Which;
        var eviction = inProcess.EvictAsync("shop", pod);

        // Then the in-process refusal is a faulted task carrying the apiserver's Status, word for word
        eviction.IsFaulted.Should().BeTrue();
        var refused = eviction.Exception!.InnerException.Should().BeOfType<KubeApiException>().Which;
        refused.IsTooManyRequests.Should().BeTrue();
        KubeJson.Serialize(refused.Status).Should().Be(KubeJson.Serialize(overHttp.Status));
        refused.Message.Should().Be(overHttp.Message);
    }

    [Fact]
    public void Should_report_a_refused_eviction_to_the_recorder_and_still_fail_the_callers_task()
    {
        // Given the in-process client bound to a virtual-time driver, with an eviction observer
        using var v = new VirtualCluster();
        var driver = new VirtualTimeDriver(v.Clock, v.Cluster);
        var outcomes = new List<(string Pod, int? Code)>();
        var client = new DriverBoundKubeClient(v.Cluster.CreateClient(), driver,
            (_, name, error) => outcomes.Add((name, (error as KubeApiException)?.Code)));
        var blocked = v.Pods("payments", "shop")[0].Metadata.Name!;
        var free = v.Pods(ns: "shop").Select(p => p.Metadata.Name!)
            .First(name => v.Cluster.PdbsFor(v.Cluster.Store.Get(ServedResource.Pods, "shop", name)!).Count == 0);

        // When, on the driver's thread, a pod held by its budget is evicted and then a pod under no budget
        async Task<int?> Evictions(CancellationToken ct)
        {
            int? refusedWith = null;
            try { await client.EvictAsync("shop", blocked, ct: ct); }
            catch (KubeApiException e) { refusedWith = e.Code; }
            await client.EvictAsync("shop", free, ct: ct);
            return refusedWith;
        }
        var outcome = driver.Run(Evictions, v.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));

        // Then the caller got the 429, and the observer saw both outcomes in order
        outcome.Value.Should().Be(429);
        outcomes.Should().Equal((blocked, 429), (free, null));
    }
}
