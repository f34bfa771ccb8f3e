using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Client;

public sealed class KubeClientHealthTests
{
    private const string Failing = """
        [+]ping ok
        [+]log ok
        [-]etcd failed: reason withheld
        [+]informer-sync ok
        [-]poststarthook/rbac/bootstrap-roles failed: not finished
        readyz check failed
        """;

    [Fact]
    public async Task Should_read_every_check_when_the_server_is_ready()
    {
        // Given an API server whose /readyz?verbose passes
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Response.WriteAsync("[+]ping ok\n[+]etcd ok\nreadyz check passed\n"));
        using var client = KubeClient.ForServer(server.Url);

        // When asked
        var health = await client.GetHealthAsync();

        // Then ok, with the checks named, in one request
        health.Ok.Should().BeTrue();
        health.Passed.Should().Equal("ping", "etcd");
        health.Failed.Should().BeEmpty();
        server.Requests.Should().Equal("GET /readyz?verbose");
    }

    [Fact]
    public async Task Should_name_the_failing_checks_of_a_500_without_retrying()
    {
        // Given an API server that cannot reach etcd: /readyz answers 500 with the failing checks
        await using var server = await TestApiServer.StartAsync(ctx => { ctx.Response.StatusCode = 500; return ctx.Response.WriteAsync(Failing); });
        using var client = KubeClient.ForServer(server.Url);

        // When asked
        var health = await client.GetHealthAsync();

        // Then the 500 is the answer (not retried, not an exception), with the failing checks and the server's reasons
        health.Ok.Should().BeFalse();
        health.StatusCode.Should().Be(500);
        health.Failed.Should().Equal("etcd failed: reason withheld", "poststarthook/rbac/bootstrap-roles failed: not finished");
        health.Passed.Should().Equal("ping", "log", "informer-sync");
        server.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Should_raise_the_servers_status_when_health_is_not_permitted()
    {
        // Given a server that refuses /readyz to this user
        await using var server = await TestApiServer.StartAsync(ctx =>
            ctx.Json(403, TestResponses.StatusJson(403, "Forbidden", "forbidden: User \"system:anonymous\" cannot get path \"/readyz\"")));
        using var client = KubeClient.ForServer(server.Url);

        // When asked / Then a typed 403 the inventory can fall back from
        var ex = (await FluentActions.Awaiting(() => client.GetHealthAsync()).Should().ThrowAsync<KubeApiException>()).Which;
        ex.Code.Should().Be(403);
    }
}
