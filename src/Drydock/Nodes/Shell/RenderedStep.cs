namespace Drydock.Nodes.Shell;

/// <summary>
/// A step as shell: <see cref="Script"/> is what runs on the node (under <c>sh -c</c>, with <c>sudo -n</c> when the
/// login is not root); it is also what the journal and error messages show, so an operator can copy it.
/// </summary>
public sealed record RenderedStep(string Script)
{
    /// <summary>The connection may drop while the command runs (reboot): exit 255 from ssh then means "done".</summary>
    public bool MayDropConnection { get; init; }

    /// <summary>A local file streamed to the command's stdin (<see cref="PutFile"/>); null: stdin is closed at once.</summary>
    public string? StdinFile { get; init; }
}
