namespace Drydock.Common;

/// <summary>
/// An expected failure, returned as a value or thrown as <see cref="DrydockException"/> to the CLI's presenter.
/// Each message names the object, the reason, and the flag or action that fixes it.
/// </summary>
public abstract record DrydockError(string Message)
{
    /// <summary>2 for usage/bad input, 1 for a failed operation.</summary>
    public virtual int ExitCode => 1;
}

/// <summary>Bad input from the user: exit code 2, nothing in the cluster changed.</summary>
public sealed record UsageError(string Message) : DrydockError(Message)
{
    public override int ExitCode => 2;
}

/// <summary>An operation against the cluster or a node failed: exit code 1.</summary>
public sealed record OperationError(string Message) : DrydockError(Message);

/// <summary>Carries a <see cref="DrydockError"/> up to the CLI presenter.</summary>
public sealed class DrydockException(DrydockError error, Exception? inner = null) : Exception(error.Message, inner)
{
    public DrydockError Error { get; } = error;
}
