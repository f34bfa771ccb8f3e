using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Drydock.Nodes.Sandbox;

/// <summary>
/// <see cref="INodeAgent"/> for a node of a sandbox served by <c>drydock sandbox serve</c> (another process):
/// each step is POSTed to the sandbox's node-agent endpoint on the same listener as its Kubernetes API.
/// </summary>
public sealed class SandboxNodeAgent(HttpClient http, Uri server, string nodeName) : INodeAgent
{
    public string NodeName => nodeName;

    public async Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default)
    {
        var url = new Uri(server, NodeStepWire.PathPrefix + Uri.EscapeDataString(nodeName) + "/steps");
        HttpResponseMessage response;
        try
        {
            using var content = new StringContent(NodeStepWire.ToJson(step).ToJsonString(), Encoding.UTF8, "application/json");
            response = await http.PostAsync(url, content, ct);
        }
        catch (HttpRequestException e) { throw new NodeAgentException(nodeName, $"sandbox node agent at {server} unreachable: {e.Message}", e); }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(body) is JsonObject result)
                return NodeStepWire.ResultFromJson(result);
            var message = (JsonNode.Parse(body) as JsonObject)?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
            throw new NodeAgentException(nodeName, message);
        }
    }
}
