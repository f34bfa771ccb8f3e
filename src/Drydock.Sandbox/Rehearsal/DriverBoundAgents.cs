using Drydock.Nodes;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>The sandbox's simulated kubeadm nodes as node agents, each step run on the virtual-time driver's thread.</summary>
internal sealed class DriverBoundAgents(SandboxCluster cluster, VirtualTimeDriver driver) : INodeAgentFactory
{
    public INodeAgent For(string nodeName) => new Agent(cluster.NodeAgent(nodeName), driver);

    private sealed class Agent(INodeAgent inner, VirtualTimeDriver driver) : INodeAgent
    {
        public string NodeName => inner.NodeName;

        public Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default) => driver.Invoke(() => inner.RunAsync(step, ct));
    }
}
