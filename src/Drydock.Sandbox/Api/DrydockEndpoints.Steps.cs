using Drydock.Nodes;
using Drydock.Nodes.Sandbox;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Drydock.Sandbox.Api;

internal static partial class DrydockEndpoints
{
    /// <summary>POST /drydock/v1/nodes/NODE/steps: runs one step (see <see cref="NodeStepWire"/>); an unreachable
    /// node (rebooting, unknown) answers 503/404 with a Status whose message the client turns into NodeAgentException.</summary>
    private static async Task HandleStep(HttpContext ctx, SandboxCluster cluster, string node)
    {
        var body = Obj.Parse(await KubeHttpFront.ReadBody(ctx));
        NodeStep step;
        try { step = NodeStepWire.FromJson(body); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { throw ApiErrors.BadRequest(e.Message); }
        cluster.Stats.Request("STEP", $"nodes/{step.GetType().Name}");
        try
        {
            var result = await cluster.RunStepAsync(node, step, ctx.RequestAborted);
            await KubeHttpFront.WriteJson(ctx, 200, NodeStepWire.ResultToJson(result));
        }
        catch (NodeAgentException e)
        {
            await KubeHttpFront.WriteStatus(ctx, ApiErrors.Make(503, "ServiceUnavailable", e.Message).Status);
        }
    }
}
