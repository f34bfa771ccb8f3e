using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Drydock.Sandbox.Api;

internal static partial class DrydockEndpoints
{
    private static Task HandleStep(HttpContext ctx, SandboxCluster cluster, string node) => throw ApiErrors.NotFoundPath();
}
