using Drydock.Cli.Tests.Kube;
using Microsoft.AspNetCore.Http;

namespace Drydock.Cli.Tests.Planning;

/// <summary>Serves release markers (NAME.txt) over HTTP under /release/, as dl.k8s.io/release does. Kestrel listens on
/// port 0 itself (<see cref="KubeTestServer"/>): no gap between finding a free port and binding it, in which a test
/// running in parallel could take the port.</summary>
internal sealed class MarkerServer : IAsyncDisposable
{
    private readonly KubeTestServer _server;

    private MarkerServer(KubeTestServer server) { _server = server; Url = new Uri(server.Url, "/release/"); }

    public Uri Url { get; }

    /// <summary>The marker names asked for, in order.</summary>
    public IReadOnlyList<string> Requests =>
        _server.Requests.Select(r => r.StartsWith("GET /release/", StringComparison.Ordinal) ? r["GET /release/".Length..] : r).ToList();

    public static async Task<MarkerServer> StartAsync(Dictionary<string, string> files) =>
        new(await KubeTestServer.StartAsync(ctx =>
        {
            var name = ctx.Request.Path.Value?.StartsWith("/release/", StringComparison.Ordinal) == true ? ctx.Request.Path.Value["/release/".Length..] : null;
            if (name is null || !files.TryGetValue(name, out var body)) { ctx.Response.StatusCode = 404; return Task.CompletedTask; }
            return ctx.Response.WriteAsync(body);
        }));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
