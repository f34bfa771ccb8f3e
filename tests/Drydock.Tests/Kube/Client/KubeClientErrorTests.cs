using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Client;

public sealed class KubeClientErrorTests
{
    private const string NodeJson = """{"kind":"Node","apiVersion":"v1","metadata":{"name":"worker-1","resourceVersion":"9"}}""";

    [Fact]
    public async Task Should_surface_the_servers_status_when_an_object_is_not_found()
    {
        // Given a server that answers 404 with the apiserver's Status
        await using var server = await TestApiServer.StartAsync(ctx =>
            ctx.Json(404, TestResponses.StatusJson(404, "NotFound", "nodes \"x\" not found")));
        using var client = KubeClient.ForServer(server.Url);

        // When getting node x
        var act = () => client.GetNodeAsync("x");

        // Then the Status arrives as a typed error, not retried
        var ex = (await act.Should().ThrowAsync<KubeApiException>()).Which;
        ex.Message.Should().Be("nodes \"x\" not found");
        ex.IsNotFound.Should().BeTrue();
        ex.Reason.Should().Be("NotFound");
        server.Requests.Should().Equal("GET /api/v1/nodes/x");
    }

    [Theory]
    [InlineData(404, "<html>nope</html>", "NotFound", "the server could not find the requested resource")]
    [InlineData(403, "forbidden", "Forbidden", "the server does not allow access to the requested resource")]
    [InlineData(418, "", "Unknown", "the server responded with the status code 418 but did not return more information")]
    public async Task Should_synthesize_a_status_when_the_body_is_not_one(int code, string body, string reason, string message)
    {
        // Given a server (or proxy) that answers with a non-Status body
        await using var server = await TestApiServer.StartAsync(ctx => { ctx.Response.StatusCode = code; return ctx.Response.WriteAsync(body); });
        using var client = KubeClient.ForServer(server.Url);

        // When getting a node
        var ex = (await FluentActions.Awaiting(() => client.GetNodeAsync("a")).Should().ThrowAsync<KubeApiException>()).Which;

        // Then a Status in client-go's words is synthesized
        ex.Code.Should().Be(code);
        ex.Reason.Should().Be(reason);
        ex.Message.Should().Be(message);
    }

    [Fact]
    public async Task Should_retry_a_429_after_the_servers_Retry_After_on_the_injected_clock()
    {
        // Given a server that is throttling once (Retry-After: 7) and a client on a manual clock
        var calls = 0;
        await using var server = await TestApiServer.StartAsync(ctx => Interlocked.Increment(ref calls) == 1
            ? ctx.Json(429, TestResponses.StatusJson(429, "TooManyRequests", "slow down"), retryAfter: "7")
            : ctx.Json(200, NodeJson));
        var time = new ManualTimeProvider();
        using var client = new KubeClient(new KubeClientOptions { Server = server.Url, Time = time, Jitter = () => 0.5 });

        // When getting the node
        var get = client.GetNodeAsync("worker-1");

        // Then the client waits exactly 7 virtual seconds, then succeeds on the second request
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        get.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(7));
        (await get.WaitAsync(TimeSpan.FromSeconds(10))).Metadata.Name.Should().Be("worker-1");
        calls.Should().Be(2);
    }

    [Fact]
    public async Task Should_retry_a_500_with_exponential_backoff_then_succeed()
    {
        // Given a server that fails twice with 500 and then answers
        var calls = 0;
        await using var server = await TestApiServer.StartAsync(ctx => Interlocked.Increment(ref calls) <= 2
            ? ctx.Json(500, "etcdserver: leader changed")
            : ctx.Json(200, NodeJson));
        var time = new ManualTimeProvider();
        using var client = new KubeClient(new KubeClientOptions { Server = server.Url, Time = time, Jitter = () => 0.5, RetryBaseDelay = TimeSpan.FromMilliseconds(500) });

        // When getting the node
        var get = client.GetNodeAsync("worker-1");

        // Then it backs off 500 ms, then 1 s, and succeeds on the third attempt
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(500));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        (await get.WaitAsync(TimeSpan.FromSeconds(10))).Metadata.ResourceVersion.Should().Be("9");
        calls.Should().Be(3);
    }

    [Fact]
    public async Task Should_fail_cleanly_at_the_deadline_when_the_server_never_answers()
    {
        // Given a server that accepts the request and never answers, and a client with a 20 s deadline on a manual clock
        var received = 0;
        await using var server = await TestApiServer.StartAsync(async ctx =>
        {
            Interlocked.Increment(ref received);
            try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); } catch (OperationCanceledException) { }
        });
        var time = new ManualTimeProvider();
        using var client = new KubeClient(new KubeClientOptions { Server = server.Url, Time = time, RequestDeadline = TimeSpan.FromSeconds(20) });

        // When the request is in flight and 20 virtual seconds pass
        var get = client.GetNodeAsync("worker-1");
        await VirtualClock.UntilAsync(() => Volatile.Read(ref received) == 1, "the request to arrive");
        time.Advance(TimeSpan.FromSeconds(20));

        // Then the call fails with a clean code-0 error naming the server, the call and the deadline
        var ex = (await FluentActions.Awaiting(() => get.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<KubeApiException>()).Which;
        ex.Code.Should().Be(0);
        ex.Reason.Should().Be("Timeout");
        ex.Message.Should().Be($"the Kubernetes API server at {server.Url} did not answer GET /api/v1/nodes/worker-1 within 20s");
    }

    [Fact]
    public async Task Should_explain_a_2xx_answer_that_is_not_the_expected_object()
    {
        // Given a web server that is not an API server (HTML with 200)
        await using var server = await TestApiServer.StartAsync(ctx => { ctx.Response.ContentType = "text/html"; return ctx.Response.WriteAsync("<html>login</html>"); });
        using var client = KubeClient.ForServer(server.Url);

        // When getting a node
        var ex = (await FluentActions.Awaiting(() => client.GetNodeAsync("a")).Should().ThrowAsync<KubeApiException>()).Which;

        // Then a code-0 error names the server and the question to ask
        (ex.Code, ex.Reason).Should().Be((0, "InvalidResponse"));
        ex.Message.Should().StartWith($"the server at {server.Url} answered with something that is not a Node object (").And.EndWith("is the server URL a Kubernetes API server?");
    }

    [Fact]
    public async Task Should_name_the_server_when_the_connection_is_refused()
    {
        // Given a port nobody listens on
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new KubeClient(new KubeClientOptions { Server = new Uri($"http://127.0.0.1:{port}"), MaxRetries = 0 });

        // When calling it
        var ex = (await FluentActions.Awaiting(() => client.GetVersionAsync()).Should().ThrowAsync<KubeApiException>()).Which;

        // Then the error has code 0 and names the server URL
        ex.Code.Should().Be(0);
        ex.Reason.Should().Be("ConnectionFailed");
        ex.Message.Should().StartWith($"cannot reach the Kubernetes API server at http://127.0.0.1:{port}/:").And.Contain("refused");
    }

    [Fact]
    public async Task Should_not_retry_an_eviction_refused_by_a_disruption_budget()
    {
        // Given a server that refuses evictions with 429 (PDB)
        string? body = null;
        await using var server = await TestApiServer.StartAsync(async ctx =>
        {
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            await ctx.Json(429, TestResponses.StatusJson(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget."), retryAfter: "5");
        });
        using var client = KubeClient.ForServer(server.Url, new ManualTimeProvider());

        // When evicting a pod with a UID precondition
        var ex = (await FluentActions.Awaiting(() => client.EvictPodAsync("shop", "web-1", uid: "u-1")).Should().ThrowAsync<KubeApiException>()).Which;

        // Then the 429 reaches the caller at once, after exactly one policy/v1 Eviction POST
        ex.IsTooManyRequests.Should().BeTrue();
        ex.Message.Should().Contain("disruption budget");
        server.Requests.Should().Equal("POST /api/v1/namespaces/shop/pods/web-1/eviction");
        body.Should().Be("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1","namespace":"shop"},"deleteOptions":{"preconditions":{"uid":"u-1"}}}""");
    }
}
