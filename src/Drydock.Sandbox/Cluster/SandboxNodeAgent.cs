using Drydock.Nodes;

namespace Drydock.Sandbox.Cluster;

/// <summary>In-process <see cref="INodeAgent"/> for a simulated node (the HTTP one is Drydock.Nodes.Sandbox.SandboxNodeAgent).</summary>
internal sealed class SandboxNodeAgent(SandboxCluster cluster, string node) : INodeAgent
{
    public string NodeName => node;

    public Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default) => cluster.RunStepAsync(node, step, ct);
}
