using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Client;

public sealed class KubeClientMutationTests
{
    private sealed record Seen(string Request, string? ContentType, string Body);

    private static async Task<(TestApiServer Server, List<Seen> Seen)> EchoServerAsync(string answer)
    {
        var seen = new List<Seen>();
        var server = await TestApiServer.StartAsync(async ctx =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            lock (seen) seen.Add(new Seen($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}", ctx.Request.ContentType, body));
            await ctx.Json(200, answer);
        });
        return (server, seen);
    }

    [Theory]
    [InlineData(true, DryRun.None, "PATCH /api/v1/nodes/worker-1", """{"spec":{"unschedulable":true}}""")]
    [InlineData(false, DryRun.None, "PATCH /api/v1/nodes/worker-1", """{"spec":{"unschedulable":null}}""")]
    [InlineData(true, DryRun.Server, "PATCH /api/v1/nodes/worker-1?dryRun=All", """{"spec":{"unschedulable":true}}""")]
    public async Task Should_cordon_with_a_strategic_merge_patch(bool unschedulable, DryRun dryRun, string request, string body)
    {
        // Given a server that echoes a node
        var (server, seen) = await EchoServerAsync("""{"metadata":{"name":"worker-1"},"spec":{"unschedulable":true}}""");
        await using var _ = server;
        using var client = KubeClient.ForServer(server.Url);

        // When (un)cordoning
        var node = await client.PatchNodeUnschedulableAsync("worker-1", unschedulable, dryRun);

        // Then kubectl's patch goes out with the strategic-merge content type
        node.Metadata.Name.Should().Be("worker-1");
        seen.Should().Equal(new Seen(request, "application/strategic-merge-patch+json", body));
    }

    [Theory]
    [InlineData(PatchType.Merge, "application/merge-patch+json")]
    [InlineData(PatchType.Json, "application/json-patch+json")]
    public async Task Should_send_each_patch_type_with_its_media_type(PatchType type, string mediaType)
    {
        // Given a server that echoes a lease
        var (server, seen) = await EchoServerAsync("""{"metadata":{"name":"drydock","namespace":"kube-system"}}""");
        await using var _ = server;
        using var client = KubeClient.ForServer(server.Url);

        // When patching a lease
        await client.PatchAsync<Lease>(ResourceKind.Leases, "kube-system", "drydock", type, "{}");

        // Then the content type names the patch type
        seen.Single().Should().Be(new Seen("PATCH /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/drydock", mediaType, "{}"));
    }

    [Fact]
    public async Task Should_delete_with_grace_period_and_uid_precondition()
    {
        // Given a server that accepts deletes
        var (server, seen) = await EchoServerAsync("""{"kind":"Status","status":"Success"}""");
        await using var _ = server;
        using var client = KubeClient.ForServer(server.Url);

        // When deleting a pod with grace 30 and its UID, as a server-side dry run
        await client.DeletePodAsync("shop", "web-1", gracePeriodSeconds: 30, uid: "u-9", dryRun: DryRun.Server);

        // Then DeleteOptions go in the body and dryRun=All in the query
        seen.Single().Should().Be(new Seen("DELETE /api/v1/namespaces/shop/pods/web-1?dryRun=All", "application/json",
            """{"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":30,"preconditions":{"uid":"u-9"}}"""));
    }

    [Fact]
    public async Task Should_create_an_object_and_read_back_the_servers_copy()
    {
        // Given a server that returns the created lease with a resourceVersion
        var (server, seen) = await EchoServerAsync("""{"metadata":{"name":"drydock","namespace":"kube-system","resourceVersion":"5"},"spec":{"holderIdentity":"me"}}""");
        await using var _ = server;
        using var client = KubeClient.ForServer(server.Url);

        // When creating it
        var lease = new Lease { Metadata = new ObjectMeta { Name = "drydock", Namespace = "kube-system" }, Spec = new LeaseSpec { HolderIdentity = "me" } };
        var created = await client.CreateAsync(ResourceKind.Leases, "kube-system", lease);

        // Then the POST carries the object and the answer is typed
        created.Metadata.ResourceVersion.Should().Be("5");
        seen.Single().Request.Should().Be("POST /apis/coordination.k8s.io/v1/namespaces/kube-system/leases");
        seen.Single().Body.Should().Contain("\"holderIdentity\":\"me\"");
    }

    [Fact]
    public async Task Should_read_version_and_discovery()
    {
        // Given a server with /version and discovery documents
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Request.Path.Value switch
        {
            "/version" => ctx.Json(200, """{"major":"1","minor":"27","gitVersion":"v1.27.16","platform":"linux/amd64"}"""),
            "/api/v1" => ctx.Json(200, """{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"pods/eviction","namespaced":true,"kind":"Eviction","verbs":["create"]}]}"""),
            "/apis/apps/v1" => ctx.Json(200, """{"kind":"APIResourceList","groupVersion":"apps/v1","resources":[{"name":"daemonsets","namespaced":true,"kind":"DaemonSet","verbs":["get","list"]}]}"""),
            _ => ctx.Json(404, TestResponses.StatusJson(404, "NotFound", "nope")),
        });
        using var client = KubeClient.ForServer(server.Url);

        // When reading them
        var version = await client.GetVersionAsync();
        var core = await client.GetApiResourcesAsync("v1");
        var apps = await client.GetApiResourcesAsync("apps/v1");

        // Then each is typed
        version.GitVersion.Should().Be("v1.27.16");
        core.Resources.Single().Name.Should().Be("pods/eviction");
        apps.Resources.Single().Kind.Should().Be("DaemonSet");
    }
}
