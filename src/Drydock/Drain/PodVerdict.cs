namespace Drydock.Drain;

/// <summary>What one filter says about one pod.</summary>
public enum PodAction
{
    /// <summary>No objection; the next filter decides.</summary>
    Evict,
    /// <summary>No objection, but tell the user (the message is a warning); the next filter decides.</summary>
    Warn,
    /// <summary>Leave the pod where it is and stop the chain; a message, if any, is shown as a warning.</summary>
    Skip,
    /// <summary>The pod must not be removed: the node's drain fails; the message is the error.</summary>
    Block,
}

public sealed record PodVerdict(PodAction Action, string? Message = null)
{
    public static readonly PodVerdict Evict = new(PodAction.Evict);
    public static readonly PodVerdict SkipSilently = new(PodAction.Skip);
    public static PodVerdict Warn(string message) => new(PodAction.Warn, message);
    public static PodVerdict Skip(string? warning) => new(PodAction.Skip, warning);
    public static PodVerdict Block(string message) => new(PodAction.Block, message);

    /// <summary>Skip and Block end the chain for this pod.</summary>
    public bool IsFinal => Action is PodAction.Skip or PodAction.Block;
}
