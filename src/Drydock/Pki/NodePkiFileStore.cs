using Drydock.Nodes;

namespace Drydock.Pki;

/// <summary>
/// PKI files on a node, through its agent: ReadFile/WriteFile steps, and RunCommand for existence checks and
/// backups. The transport (ssh, sandbox) decides how; WriteFile is atomic with the given mode by contract.
/// </summary>
public sealed class NodePkiFileStore(INodeAgent agent) : IPkiFileStore
{
    public string Location => $"node {agent.NodeName}";

    public async Task<string?> ReadTextAsync(string path, CancellationToken ct = default)
    {
        var result = await agent.RunAsync(new ReadFile(path), ct);
        if (result.Succeeded) return result.Stdout;
        // A failed read is "missing" only if the file is really not there; anything else is an error to show.
        if (!await ExistsAsync(path, ct)) return null;
        throw new IOException($"{Location}: cannot read {path}: {FirstLine(result.Stderr)}");
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct = default)
    {
        var result = await agent.RunAsync(new RunCommand($"test -e {ShellQuote.Quote(path)}"), ct);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new IOException($"{Location}: cannot check {path}: {FirstLine(result.Stderr)}"),
        };
    }

    public async Task WriteAtomicAsync(string path, string content, UnixFileMode mode, CancellationToken ct = default)
    {
        var result = await agent.RunAsync(new WriteFile(path, content, (int)mode), ct);
        if (!result.Succeeded) throw new IOException($"{Location}: cannot write {path}: {FirstLine(result.Stderr)}");
    }

    public async Task CopyAsync(string from, string to, CancellationToken ct = default)
    {
        var result = await agent.RunAsync(new RunCommand($"cp -p -- {ShellQuote.Quote(from)} {ShellQuote.Quote(to)}"), ct);
        if (!result.Succeeded) throw new IOException($"{Location}: cannot back up {from} to {to}: {FirstLine(result.Stderr)}");
    }

    private static string FirstLine(string s)
    {
        var line = s.Trim().Split('\n')[0];
        return line.Length == 0 ? "no error output" : line;
    }
}
