using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Client;
using Drydock.Kube.Models;
using Drydock.Kube.Watching;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Client;

public sealed class WatcherTests
{
    private static string Ev(string type, string name, string rv) =>
        "{\"type\":\"" + type + "\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"shop\",\"resourceVersion\":\"" + rv + "\"}}}\n";

    private static async Task Stream(HttpContext ctx, string lines, bool thenDrop, Task? dropWhen = null)
    {
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(lines);
        await ctx.Response.Body.FlushAsync();
        // A reset discards bytes the client has not read yet, so drop only once the consumer has them.
        if (thenDrop) { await (dropWhen ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10)); ctx.Abort(); return; }
        try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); } catch (OperationCanceledException) { }
    }

    private static async Task<List<WatchEvent<Pod>>> TakeAsync(Watcher<Pod> watcher, int count, Action<int>? onEvent = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var events = new List<WatchEvent<Pod>>();
        await foreach (var ev in watcher.RunAsync(cts.Token))
        {
            events.Add(ev);
            onEvent?.Invoke(events.Count);
            if (events.Count == count) break;
        }
        return events;
    }

    [Fact]
    public async Task Should_resume_from_the_last_resourceVersion_after_a_dropped_stream()
    {
        // Given a server whose first watch stream sends two events and drops, and whose second sends a bookmark and an event
        var watches = 0;
        var consumedTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApiServer.StartAsync(ctx => Interlocked.Increment(ref watches) == 1
            ? Stream(ctx, Ev("ADDED", "a", "11") + Ev("MODIFIED", "a", "12"), thenDrop: true, consumedTwo.Task)
            : Stream(ctx, Ev("BOOKMARK", "", "15") + Ev("DELETED", "a", "16"), thenDrop: false));
        using var client = KubeClient.ForServer(server.Url);
        var time = new ManualTimeProvider();
        using var advance = new CancellationTokenSource();
        var waits = new List<TimeSpan>();
        var advancer = time.AutoAdvanceAsync(waits, advance.Token);
        var watcher = new Watcher<Pod>(client, ResourceKind.Pods, new ListOptions { Namespace = "shop", ResourceVersion = "10" }, time,
            new WatcherOptions { Jitter = () => 0.5 });

        // When consuming three events
        var events = await TakeAsync(watcher, 3, n => { if (n == 2) consumedTwo.TrySetResult(); });
        await advance.CancelAsync();
        await advancer;

        // Then the watcher backed off 1 s on the virtual clock, resumed at 12, skipped the bookmark but kept its version
        events.Select(e => $"{e.Type} {e.Object!.Metadata.ResourceVersion}").Should().Equal("ADDED 11", "MODIFIED 12", "DELETED 16");
        waits.Should().Equal(TimeSpan.FromSeconds(1));
        server.Requests.Should().Equal(
            "GET /api/v1/namespaces/shop/pods?watch=true&resourceVersion=10&allowWatchBookmarks=true",
            "GET /api/v1/namespaces/shop/pods?watch=true&resourceVersion=12&allowWatchBookmarks=true");
        watcher.ResourceVersion.Should().Be("16");
        watcher.Connects.Should().Be(2);
    }

    [Fact]
    public async Task Should_reconnect_at_once_when_the_server_ends_a_stream_that_delivered_events()
    {
        // Given a server whose watch streams each deliver one event and end cleanly (its timeoutSeconds)
        var watches = 0;
        await using var server = await TestApiServer.StartAsync(async ctx =>
        {
            var n = Interlocked.Increment(ref watches);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(Ev("MODIFIED", "a", (30 + n).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        using var client = KubeClient.ForServer(server.Url);
        var time = new ManualTimeProvider();
        var watcher = new Watcher<Pod>(client, ResourceKind.Pods, new ListOptions { ResourceVersion = "30", TimeoutSeconds = 300 }, time);

        // When consuming three events on a clock that never moves
        var events = await TakeAsync(watcher, 3);

        // Then each stream resumed from the previous one's last version without any back-off
        events.Select(e => e.Object!.Metadata.ResourceVersion).Should().Equal("31", "32", "33");
        server.Requests.Take(3).Should().Equal(
            "GET /api/v1/pods?watch=true&resourceVersion=30&allowWatchBookmarks=true&timeoutSeconds=300",
            "GET /api/v1/pods?watch=true&resourceVersion=31&allowWatchBookmarks=true&timeoutSeconds=300",
            "GET /api/v1/pods?watch=true&resourceVersion=32&allowWatchBookmarks=true&timeoutSeconds=300");
    }

    [Fact]
    public async Task Should_relist_after_410_Gone_and_announce_the_resync()
    {
        // Given a server whose watch from version 5 is too old (ERROR 410), with a list at version 20
        await using var server = await TestApiServer.StartAsync(ctx =>
        {
            if (ctx.Request.Query["watch"] != "true")
                return ctx.Json(200, """{"kind":"PodList","metadata":{"resourceVersion":"20"},"items":[{"metadata":{"name":"a","resourceVersion":"18"}},{"metadata":{"name":"b","resourceVersion":"19"}}]}""");
            return ctx.Request.Query["resourceVersion"] == "5"
                ? Stream(ctx, """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (20)","reason":"Expired","code":410}}""" + "\n", thenDrop: false)
                : Stream(ctx, Ev("ADDED", "c", "21"), thenDrop: false);
        });
        using var client = KubeClient.ForServer(server.Url);
        var watcher = new Watcher<Pod>(client, ResourceKind.Pods, new ListOptions { ResourceVersion = "5" }, new ManualTimeProvider());

        // When consuming five events
        var events = await TakeAsync(watcher, 5);

        // Then the watcher relisted (RELIST, every object, SYNCED) and watched on from the list's version
        events.Select(e => $"{e.Type} {e.Object?.Metadata.Name}").Should().Equal("RELIST ", "ADDED a", "ADDED b", "SYNCED ", "ADDED c");
        server.Requests.Should().Equal(
            "GET /api/v1/pods?watch=true&resourceVersion=5&allowWatchBookmarks=true",
            "GET /api/v1/pods?limit=500",
            "GET /api/v1/pods?watch=true&resourceVersion=20&allowWatchBookmarks=true");
        watcher.Relists.Should().Be(1);
    }

    [Fact]
    public async Task Should_surface_a_410_from_a_single_watch_stream()
    {
        // Given a server that answers a watch with HTTP 410
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Json(410, TestResponses.StatusJson(410, "Expired", "too old resource version")));
        using var client = KubeClient.ForServer(server.Url);

        // When reading the raw watch stream
        var act = async () => { await foreach (var _ in client.WatchAsync<Pod>(ResourceKind.Pods, new ListOptions { ResourceVersion = "1" })) { } };

        // Then it fails with the Gone status
        (await act.Should().ThrowAsync<KubeApiException>()).Which.IsGone.Should().BeTrue();
    }
}
