using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;
using Drydock.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Drydock.Sandbox.Api;

internal sealed partial class KubeHttpFront
{
    private async Task HandleResource(HttpContext ctx, ResourcePath rp)
    {
        var q = ctx.Request.Query;
        var method = ctx.Request.Method;
        var dryRun = q["dryRun"].ToString() == "All";
        var r = rp.Resource;
        var ns = r.Kind.Namespaced ? rp.Namespace : null;
        if (rp.Name is null)
        {
            var watch = rp.LegacyWatch || q["watch"] is var w && (w == "true" || w == "1");
            switch (method)
            {
                case "GET" when watch:
                    cluster.Stats.Request("WATCH", rp.StatsKey);
                    await StreamWatch(ctx, rp, ns);
                    return;
                case "GET":
                    {
                        cluster.Stats.Request("LIST", rp.StatsKey);
                        var limit = int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0;
                        var page = cluster.ApiList(r, ns, q["labelSelector"], q["fieldSelector"], limit, q["continue"]);
                        var accept = ctx.Request.Headers.Accept.ToString();
                        if (accept.Contains("as=Table", StringComparison.Ordinal))
                            await WriteJson(ctx, 200, Tables.Build(r, page, cluster.Time.GetUtcNow(), q["includeObject"] == "Object"));
                        else
                            await WriteJson(ctx, 200, ObjectStore.ListObject(r, page));
                        return;
                    }
                case "POST":
                    {
                        cluster.Stats.Request("CREATE", rp.StatsKey);
                        var body = Obj.Parse(await ReadBody(ctx));
                        var created = cluster.ApiCreate(r, ns, body, dryRun);
                        await WriteJson(ctx, 201, created);
                        return;
                    }
                case "DELETE":
                    {
                        cluster.Stats.Request("DELETECOLLECTION", rp.StatsKey);
                        var page = cluster.ApiList(r, ns, q["labelSelector"], q["fieldSelector"], 0, null);
                        var deleted = page.Items.Select(o => (JsonNode)cluster.ApiDelete(r, o.Ns(), o.Name(), null, dryRun)).ToList();
                        await WriteJson(ctx, 200, ObjectStore.ListObject(r, page with { Items = deleted.OfType<JsonObject>().ToList() }));
                        return;
                    }
                default: throw ApiErrors.MethodNotAllowed(method);
            }
        }
        var name = rp.Name;
        switch (method, rp.Subresource)
        {
            case ("GET", null or "status"):
                cluster.Stats.Request("GET", rp.StatsKey);
                if (ctx.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal))
                {
                    var one = cluster.ApiGet(r, ns, name);
                    await WriteJson(ctx, 200, Tables.Build(r, new ListPage([one], cluster.Store.ResourceVersion, null, null), cluster.Time.GetUtcNow(), q["includeObject"] == "Object"));
                }
                else await WriteJson(ctx, 200, cluster.ApiGet(r, ns, name));
                return;
            case ("POST", "eviction"):
                {
                    cluster.Stats.Request("CREATE", rp.StatsKey);
                    var text = await ReadBody(ctx);
                    var eviction = string.IsNullOrWhiteSpace(text) ? new Eviction() : KubeJson.Deserialize<Eviction>(text);
                    var evDry = dryRun || eviction.DeleteOptions?.DryRun?.Contains("All") == true;
                    if (eviction.Metadata.Name is { Length: > 0 } en && en != name)
                        throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
                    cluster.ApiEvict(ns ?? "default", name, eviction.DeleteOptions, evDry);
                    await WriteStatus(ctx, new Status { StatusValue = "Success", Code = 201, Metadata = new ListMeta() });
                    return;
                }
            case ("POST", "binding"):
                {
                    cluster.Stats.Request("CREATE", rp.StatsKey);
                    var binding = Obj.Parse(await ReadBody(ctx));
                    var target = binding.O("target").S("name") ?? throw ApiErrors.BadRequest("binding has no target");
                    cluster.ApiPatch(r, ns, name, PatchType.Merge, new JsonObject { ["spec"] = new JsonObject { ["nodeName"] = target } }.ToJsonString(), dryRun, status: false);
                    await WriteStatus(ctx, new Status { StatusValue = "Success", Code = 201, Metadata = new ListMeta() });
                    return;
                }
            case ("PUT", null or "status"):
                {
                    cluster.Stats.Request("UPDATE", rp.StatsKey);
                    var body = Obj.Parse(await ReadBody(ctx));
                    await WriteJson(ctx, 200, cluster.ApiReplace(r, ns, name, body, dryRun, rp.Subresource == "status"));
                    return;
                }
            case ("PATCH", null or "status"):
                {
                    cluster.Stats.Request("PATCH", rp.StatsKey);
                    var contentType = ctx.Request.ContentType ?? "";
                    var type = contentType.Split(';')[0].Trim() switch
                    {
                        "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
                        "application/merge-patch+json" => PatchType.Merge,
                        "application/json-patch+json" => PatchType.Json,
                        _ => throw ApiErrors.UnsupportedMediaType(contentType),
                    };
                    await WriteJson(ctx, 200, cluster.ApiPatch(r, ns, name, type, await ReadBody(ctx), dryRun, rp.Subresource == "status"));
                    return;
                }
            case ("DELETE", null):
                {
                    cluster.Stats.Request("DELETE", rp.StatsKey);
                    var text = await ReadBody(ctx);
                    var options = string.IsNullOrWhiteSpace(text) ? new DeleteOptions() : KubeJson.Deserialize<DeleteOptions>(text);
                    if (long.TryParse(q["gracePeriodSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var g)) options = options with { GracePeriodSeconds = g };
                    if (q["propagationPolicy"].ToString() is { Length: > 0 } pp) options = options with { PropagationPolicy = pp };
                    var delDry = dryRun || options.DryRun?.Contains("All") == true;
                    var result = cluster.ApiDelete(r, ns, name, options, delDry);
                    await WriteJson(ctx, 200, result);
                    return;
                }
            default: throw ApiErrors.MethodNotAllowed(method);
        }
    }

    private async Task StreamWatch(HttpContext ctx, ResourcePath rp, string? ns)
    {
        var q = ctx.Request.Query;
        var name = rp.Name;
        var field = q["fieldSelector"].ToString();
        using var sub = cluster.ApiWatch(rp.Resource, ns, q["labelSelector"], field, q["resourceVersion"]);
        var timeout = int.TryParse(q["timeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        var bookmarks = q["allowWatchBookmarks"] == "true";
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        cts.CancelAfter(timeout);
        var reader = sub.Events.Reader;
        try
        {
            while (!cts.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                wait.CancelAfter(TimeSpan.FromSeconds(5));
                bool ready;
                try { ready = await reader.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!cts.IsCancellationRequested)
                {
                    if (bookmarks) await WriteEvent(ctx, "BOOKMARK", new JsonObject
                    {
                        ["kind"] = rp.Resource.Kind.Kind, ["apiVersion"] = rp.Resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
                    });
                    continue;
                }
                if (!ready) break;
                while (reader.TryRead(out var change))
                    await WriteEvent(ctx, change.Type, change.Object);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task WriteEvent(HttpContext ctx, string type, JsonObject obj)
    {
        var line = "{\"type\":\"" + type + "\",\"object\":" + obj.ToJsonString() + "}\n";
        await ctx.Response.WriteAsync(line, ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }
}
