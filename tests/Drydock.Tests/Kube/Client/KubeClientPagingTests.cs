using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Client;

public sealed class KubeClientPagingTests
{
    private static string PodList(string? cont, params string[] names)
    {
        var items = string.Join(",", names.Select(n =>
            "{\"metadata\":{\"name\":\"" + n + "\",\"namespace\":\"shop\"},\"spec\":{\"nodeName\":\"worker-1\",\"containers\":[{\"name\":\"c\"}]}}"));
        var meta = "\"resourceVersion\":\"77\"" + (cont is null ? "" : ",\"continue\":\"" + cont + "\"");
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{" + meta + "},\"items\":[" + items + "]}";
    }

    [Fact]
    public async Task Should_follow_continue_across_three_pages()
    {
        // Given a server that pages pods three at a time with continue tokens
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Request.Query["continue"].ToString() switch
        {
            "" => ctx.Json(200, PodList("page2", "a", "b", "c")),
            "page2" => ctx.Json(200, PodList("page3", "d", "e", "f")),
            "page3" => ctx.Json(200, PodList(null, "g")),
            _ => ctx.Json(410, TestResponses.StatusJson(410, "Expired", "bad continue")),
        });
        using var client = KubeClient.ForServer(server.Url);

        // When listing every page of the pods on worker-1
        var all = await client.ListAllAsync<Pod>(ResourceKind.Pods,
            new ListOptions { FieldSelector = "spec.nodeName=worker-1", LabelSelector = "app=web" }, pageSize: 3);

        // Then all seven pods arrive in order, with the first page's resourceVersion, over three requests
        all.Items.Select(p => p.Metadata.Name).Should().Equal("a", "b", "c", "d", "e", "f", "g");
        all.Metadata!.ResourceVersion.Should().Be("77");
        all.Metadata.Continue.Should().BeNull();
        server.Requests.Should().Equal(
            "GET /api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dworker-1&limit=3",
            "GET /api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dworker-1&limit=3&continue=page2",
            "GET /api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dworker-1&limit=3&continue=page3");
    }

    [Fact]
    public async Task Should_list_one_namespace_on_its_own_path()
    {
        // Given a server with one page of pods
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Json(200, PodList(null, "a")));
        using var client = KubeClient.ForServer(server.Url);

        // When listing the shop namespace
        var pods = await client.ListPodsAsync("shop");

        // Then the namespaced collection path is used with the default page size
        pods.Should().ContainSingle();
        server.Requests.Should().Equal("GET /api/v1/namespaces/shop/pods?limit=500");
    }
}
