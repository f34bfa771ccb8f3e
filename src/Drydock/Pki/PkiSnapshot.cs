namespace Drydock.Pki;

/// <summary>
/// What was read from one node: each file's text (null = missing) and which CA keys exist. The inventory is built
/// from this alone, so it is the same pure code for a local directory and for every node read through its agent.
/// </summary>
public sealed record PkiSnapshot
{
    public required string Location { get; init; }
    public required PkiLayout Layout { get; init; }
    public required IReadOnlyDictionary<string, string?> Files { get; init; }
    /// <summary>Paths checked for existence only (CA keys: their content is never needed to report).</summary>
    public required IReadOnlyDictionary<string, bool> Exists { get; init; }

    public string? Text(string path) => Files.TryGetValue(path, out var t) ? t : null;
    public bool FileExists(string path) => Exists.TryGetValue(path, out var e) ? e : Text(path) is not null;
}
