using Drydock.Common;
using Drydock.Tests.Kube.Infrastructure;
using Drydock.Versions;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Versions;

public sealed class ReleaseMarkerClientTests
{
    private static Task<TestApiServer> Markers(Dictionary<string, string> files) => TestApiServer.StartAsync(async ctx =>
    {
        var name = ctx.Request.Path.Value!.TrimStart('/');
        if (files.TryGetValue(name, out var body)) await ctx.Response.WriteAsync(body);
        else ctx.Response.StatusCode = 404;
    });

    [Fact]
    public async Task Should_read_stable_markers_per_minor_from_a_base_url()
    {
        // Given a marker server with stable-1.27 and stable-1.28 (and no 1.29 yet)
        await using var server = await Markers(new() { ["release/stable-1.27.txt"] = "v1.27.16\n", ["release/stable-1.28.txt"] = "v1.28.15" });
        using var http = new HttpClient();
        var client = new ReleaseMarkerClient(http, new Uri(server.Url, "release/"), new ManualTimeProvider());

        // When listing 1.27..1.29
        var versions = await client.ListAsync(1, 27, 29);

        // Then each existing marker is read, the missing one skipped
        versions.Select(v => v.ToString()).Should().Equal("v1.27.16", "v1.28.15");
        (await client.GetAsync("stable-1.29")).Should().BeNull();
    }

    [Fact]
    public async Task Should_reject_a_marker_that_is_not_a_version()
    {
        await using var server = await Markers(new() { ["stable.txt"] = "<html>proxy login</html>" });
        using var http = new HttpClient();
        var client = new ReleaseMarkerClient(http, server.Url, new ManualTimeProvider());

        var act = () => client.GetAsync("stable");

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("is not a version");
    }
}
