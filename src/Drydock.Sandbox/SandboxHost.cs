using Drydock.Sandbox.Api;
using Drydock.Sandbox.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Drydock.Sandbox;

/// <summary>How to start a sandbox: what to load, where to listen, where to write the kubeconfig.</summary>
public sealed record SandboxHostOptions
{
    /// <summary>A Kubernetes List (JSON) to load; null → <see cref="Scenario"/>.</summary>
    public string? StateJson { get; init; }
    /// <summary>Built-in scenario name ("default", "ha") used when no state is given.</summary>
    public string Scenario { get; init; } = "default";
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }
    /// <summary>Where to write the kubeconfig; null → a new temp directory.</summary>
    public string? KubeconfigPath { get; init; }
    public TimeProvider? Time { get; init; }
    public SandboxOptions Cluster { get; init; } = new();
}

/// <summary>
/// A running sandbox: the simulated cluster served over HTTP on 127.0.0.1 (Kubernetes API + /drydock/v1 node agent
/// and stats) with a kubeconfig pointing at it. Dispose (or <see cref="StopAsync"/>) to stop.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, SandboxCluster cluster, Uri baseUrl, string kubeconfigPath)
    {
        _app = app; Cluster = cluster; BaseUrl = baseUrl; KubeconfigPath = kubeconfigPath;
    }

    public SandboxCluster Cluster { get; }
    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseUrl { get; }
    public string KubeconfigPath { get; }

    public static async Task<SandboxHost> StartAsync(SandboxHostOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SandboxHostOptions();
        var cluster = new SandboxCluster(options.Time, options.Cluster);
        if (options.StateJson is not null) cluster.LoadList(options.StateJson);
        else cluster.LoadList(Scenarios.BuiltInScenario.Build(options.Scenario));
        cluster.Settle();
        try { return await ServeAsync(cluster, options, ct); }
        catch { cluster.Dispose(); throw; }
    }

    /// <summary>Serves an already built cluster (tests that prepared one in virtual time).</summary>
    public static async Task<SandboxHost> ServeAsync(SandboxCluster cluster, SandboxHostOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SandboxHostOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var front = new KubeHttpFront(cluster, new FaultInjector(cluster.Options.FaultRate, cluster.Options.Seed));
        app.Run(front.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var path = options.KubeconfigPath ?? Path.Combine(Directory.CreateTempSubdirectory("drydock-sandbox-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(path, Kubeconfig(baseUrl), ct);
        return new SandboxHost(app, cluster, baseUrl, path);
    }

    public static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: drydock-sandbox
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        contexts:
        - name: drydock-sandbox
          context:
            cluster: drydock-sandbox
            user: drydock-sandbox
            namespace: default
        current-context: drydock-sandbox
        users:
        - name: drydock-sandbox
          user: {"{}"}
        preferences: {"{}"}

        """;

    public async Task StopAsync()
    {
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try { await _app.StopAsync(); } catch (ObjectDisposedException) { }
        await _app.DisposeAsync();
        Cluster.Dispose();
    }
}
