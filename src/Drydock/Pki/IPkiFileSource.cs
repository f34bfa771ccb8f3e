namespace Drydock.Pki;

/// <summary>
/// Reads a node's PKI files: a local directory or a node through its agent. Narrow on purpose so the inventory
/// can be built the same way for every control-plane node.
/// </summary>
public interface IPkiFileSource
{
    /// <summary>Where the files are, for messages ("local", "node cp-1").</summary>
    string Location { get; }

    /// <summary>The file's text, or null when it does not exist. Other failures throw.</summary>
    Task<string?> ReadTextAsync(string path, CancellationToken ct = default);

    Task<bool> ExistsAsync(string path, CancellationToken ct = default);
}

/// <summary>A source that can also write, for renewal.</summary>
public interface IPkiFileStore : IPkiFileSource
{
    /// <summary>Writes atomically (temp file in the same directory + rename), with this mode, keeping the old file's owner.</summary>
    Task WriteAtomicAsync(string path, string content, UnixFileMode mode, CancellationToken ct = default);

    /// <summary>Copies a file, keeping mode and owner (the backup before a renewal).</summary>
    Task CopyAsync(string from, string to, CancellationToken ct = default);
}
