using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Drydock.Sandbox.Api;

/// <summary>
/// The Kubernetes HTTP API over <see cref="SandboxCluster"/>: version, health, discovery, and GET/LIST/WATCH/
/// CREATE/UPDATE/PATCH/DELETE on every served resource, errors as Status objects. Paths answer with and without a
/// trailing slash. The node-agent endpoint and stats live under /drydock/v1 (see <see cref="DrydockEndpoints"/>).
/// </summary>
internal sealed partial class KubeHttpFront(SandboxCluster cluster, FaultInjector faults)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            if (segs.Length == 0) { await WriteJson(ctx, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version") }); return; }
            switch (segs[0])
            {
                case "version" when segs.Length == 1: await WriteJson(ctx, 200, VersionJson()); return;
                case "healthz" or "livez" or "readyz":
                    ctx.Response.ContentType = "text/plain; charset=utf-8";
                    // As the apiserver answers: a line per check with ?verbose, else just "ok".
                    await ctx.Response.WriteAsync(ctx.Request.Query.ContainsKey("verbose")
                        ? $"[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]informer-sync ok\n[+]poststarthook/start-apiextensions-informers ok\n{segs[0]} check passed\n"
                        : "ok");
                    return;
                case "drydock": await DrydockEndpoints.HandleAsync(ctx, cluster, segs); return;
                case "openapi": throw ApiErrors.NotFoundPath();
            }
            if (segs[0] == "api" && segs.Length == 1) { await WriteJson(ctx, 200, Discovery.ApiVersions(ctx.Request.Host.Value ?? "127.0.0.1")); return; }
            if (segs[0] == "apis" && segs.Length == 1) { await WriteJson(ctx, 200, Discovery.GroupList()); return; }
            if (segs[0] == "apis" && segs.Length == 2 && Discovery.Groups.Contains(segs[1])) { await WriteJson(ctx, 200, Discovery.Group(segs[1])); return; }
            if ((segs[0] == "api" && segs.Length == 2) || (segs[0] == "apis" && segs.Length == 3))
            {
                var list = segs[0] == "api" ? Discovery.ResourceList("", segs[1]) : Discovery.ResourceList(segs[1], segs[2]);
                if (list is null) throw ApiErrors.NotFoundPath();
                await WriteJson(ctx, 200, list);
                return;
            }
            var rp = ResourcePath.Parse(segs) ?? throw ApiErrors.NotFoundPath();
            if (faults.ShouldFail(out var fault)) { await InjectFault(ctx, fault); return; }
            await HandleResource(ctx, rp);
        }
        catch (KubeApiException e) { await WriteStatus(ctx, e.Status); }
        catch (FormatException e) { await WriteStatus(ctx, ApiErrors.BadRequest(e.Message).Status); }
        catch (System.Text.Json.JsonException e) { await WriteStatus(ctx, ApiErrors.BadRequest($"error decoding body: {e.Message}").Status); }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested) { }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // A sandbox bug must still answer like an apiserver would, and say what went wrong.
            await WriteStatus(ctx, ApiErrors.Internal($"{e.GetType().Name}: {e.Message}").Status);
        }
    }

    private JsonObject VersionJson()
    {
        var v = Kubeadm.KubeVersion.Parse(cluster.ApiServerVersion);
        return new JsonObject
        {
            ["major"] = v.Major.ToString(CultureInfo.InvariantCulture),
            ["minor"] = v.Minor.ToString(CultureInfo.InvariantCulture),
            ["gitVersion"] = v.ToString(),
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-07-17T00:00:00Z",
            ["goVersion"] = "go1.22.5",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private async Task InjectFault(HttpContext ctx, FaultKind fault)
    {
        cluster.Stats.FaultInjected();
        switch (fault)
        {
            case FaultKind.TooManyRequests:
                ctx.Response.Headers["Retry-After"] = "1";
                await WriteStatus(ctx, ApiErrors.Make(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later (injected fault)", retryAfter: 1).Status);
                break;
            case FaultKind.InternalError:
                await WriteStatus(ctx, ApiErrors.Internal("injected fault").Status);
                break;
            default:
                ctx.Abort();
                break;
        }
    }

    internal static async Task WriteJson(HttpContext ctx, int code, JsonNode body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted);
    }

    internal static async Task WriteStatus(HttpContext ctx, Status status)
    {
        if (ctx.Response.HasStarted) return;
        ctx.Response.StatusCode = status.Code ?? 500;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(KubeJson.Serialize(status with { Metadata = status.Metadata ?? new ListMeta() }), ctx.RequestAborted);
    }

    internal static async Task<string> ReadBody(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }
}
