using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Drydock.Cli.Tests.Kube;

/// <summary>A real HTTP server on 127.0.0.1 and a free port for CLI tests, plus a kubeconfig pointing at it.</summary>
internal sealed class KubeTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir = Directory.CreateTempSubdirectory("drydock-cli-").FullName;

    private KubeTestServer(WebApplication app, Uri url) { _app = app; Url = url; }

    public Uri Url { get; }
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<KubeTestServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        KubeTestServer? server = null;
        app.Run(ctx =>
        {
            server!.Requests.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            return handler(ctx);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new KubeTestServer(app, new Uri(address));
        return server;
    }

    /// <summary>Writes a file in this server's temp folder and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A kubeconfig with context "test" for this server; <paramref name="user"/> is the user's YAML body.</summary>
    public string Kubeconfig(string user = "token: t") => Write("config", $"""
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: test
          cluster: {"{"}server: '{Url}'{"}"}
        users:
        - name: test
          user: {"{"}{user}{"}"}
        contexts:
        - name: test
          context: {"{"}cluster: test, user: test{"}"}
        """);

    public static string Fixture(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name));

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

internal static class Respond
{
    public static Task Json(this HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(json);
    }
}
