using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Drydock.Sandbox.Api;

/// <summary>Sandbox-only endpoints outside the Kubernetes API: GET /drydock/v1/stats (request counts, evictions,
/// PDB violations) and the node agent, POST /drydock/v1/nodes/NODE/steps.</summary>
internal static partial class DrydockEndpoints
{
    public static async Task HandleAsync(HttpContext ctx, SandboxCluster cluster, string[] segs)
    {
        if (segs is ["drydock", "v1", "stats"] && ctx.Request.Method == "GET")
        {
            await KubeHttpFront.WriteJson(ctx, 200, StatsJson(cluster));
            return;
        }
        if (segs is ["drydock", "v1", "nodes", var node, "steps"] && ctx.Request.Method == "POST")
        {
            await HandleStep(ctx, cluster, node);
            return;
        }
        throw ApiErrors.NotFoundPath();
    }

    public static JsonObject StatsJson(SandboxCluster cluster)
    {
        var s = cluster.Stats;
        var requests = new JsonObject();
        foreach (var (k, v) in s.Requests) requests[k] = v;
        return new JsonObject
        {
            ["requests"] = requests,
            ["totalRequests"] = s.TotalRequests,
            ["evictionsAccepted"] = s.EvictionsAccepted,
            ["evictionsRejected"] = s.EvictionsRejected,
            ["faultsInjected"] = s.FaultsInjected,
            ["violations"] = Obj.Array(s.Violations.Select(v => (JsonNode)new JsonObject
            {
                ["at"] = Obj.Time(v.At), ["namespace"] = v.Namespace, ["pod"] = v.Pod, ["pdb"] = v.Pdb, ["via"] = v.Via,
            })),
            ["now"] = Obj.Time(cluster.Time.GetUtcNow()),
        };
    }
}
