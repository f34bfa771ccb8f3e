using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Drydock.Tests.Kube.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, answering with a test's handler. With <see cref="TestPki"/>
/// it serves TLS and requires a client certificate signed by the test CA (as kube-apiserver's --client-ca-file).
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApiServer(WebApplication app, Uri url) { _app = app; Url = url; }

    public Uri Url { get; }

    /// <summary>"METHOD /path?query" of every request, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization header of every request ("" when absent), in arrival order.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Common names of the client certificates presented, in arrival order.</summary>
    public ConcurrentQueue<string> ClientCertificates { get; } = new();

    public static async Task<TestApiServer> StartAsync(RequestDelegate handler, TestPki? tls = null, bool requireClientCert = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (tls is null) return;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = tls.ServerCertificate,
                ClientCertificateMode = requireClientCert ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (cert, _, _) => tls.IsSignedByCa(cert),
            });
        }));
        var app = builder.Build();
        TestApiServer? server = null;
        app.Run(async ctx =>
        {
            server!.Requests.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            server.Authorizations.Enqueue(ctx.Request.Headers.Authorization.ToString());
            if (ctx.Connection.ClientCertificate is { } c) server.ClientCertificates.Enqueue(c.GetNameInfo(X509NameType.SimpleName, false));
            await handler(ctx);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new TestApiServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Small helpers for handlers.</summary>
public static class TestResponses
{
    public static Task Json(this HttpContext ctx, int status, string json, string? retryAfter = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        if (retryAfter is not null) ctx.Response.Headers.RetryAfter = retryAfter;
        return ctx.Response.WriteAsync(json);
    }

    public static string StatusJson(int code, string reason, string message) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message.Replace("\"", "\\\"")}}","reason":"{{reason}}","code":{{code}}}""";
}
