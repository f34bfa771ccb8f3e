namespace Drydock.Nodes;

/// <summary>
/// Runs semantic steps on one node. Narrow on purpose (kured's Rebooter/Checker style): the orchestrator, etcd
/// restore and certificate renewal all talk to nodes only through this. A failed command is a result with a
/// non-zero exit code, not an exception; an unreachable node throws <see cref="NodeAgentException"/>.
/// </summary>
public interface INodeAgent
{
    string NodeName { get; }

    Task<NodeStepResult> RunAsync(NodeStep step, CancellationToken ct = default);
}

/// <summary>Finds the agent for a node by name (ssh inventory, sandbox, local).</summary>
public interface INodeAgentFactory
{
    INodeAgent For(string nodeName);
}

public sealed class NodeAgentException(string node, string message, Exception? inner = null)
    : Exception($"node {node}: {message}", inner)
{
    public string Node { get; } = node;
}
