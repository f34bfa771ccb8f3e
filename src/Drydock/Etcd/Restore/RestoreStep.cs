using Drydock.Nodes;

namespace Drydock.Etcd.Restore;

/// <summary>One step of a restore plan, on one node. <see cref="Render"/> is what --dry-run prints.</summary>
public abstract record RestoreStep(string Node, string Description)
{
    public abstract string Render();
}

/// <summary>A node-agent step that must succeed.</summary>
public sealed record NodeRestoreStep(string Node, string Description, NodeStep Step) : RestoreStep(Node, Description)
{
    public override string Render() => Step switch
    {
        RunCommand run => $"[{Node}] {Description}\n    $ {run.Command}",
        WriteFile write => $"[{Node}] {Description}\n    write {write.Path} (mode {Convert.ToString(write.Mode, 8)}, {write.Content.Length} bytes)",
        PutFile put => $"[{Node}] {Description}\n    copy {put.SourcePath} ({put.Length} bytes, sha256 {put.Sha256}) to {put.Path} (mode {Convert.ToString(put.Mode, 8)})",
        _ => $"[{Node}] {Description}\n    {Step.Describe()}",
    };
}

/// <summary>Poll etcd's Status until it answers (<see cref="Up"/>) or stops answering; bounded by the restore's health timeout.</summary>
public sealed record WaitForEtcdStep(string Node, string Description, Uri Endpoint, bool Up, long? MinRevision = null) : RestoreStep(Node, Description)
{
    public override string Render() => $"[{Node}] {Description}\n    poll Maintenance.Status at {Endpoint.GetLeftPart(UriPartial.Authority)} until it {(Up ? "answers" + (MinRevision is { } r ? $" with revision ≥ {r}" : "") : "stops answering")}";
}

/// <summary>
/// Poll etcd's plain-HTTP /health from its own node (through the node agent) until it reports healthy
/// (<see cref="Up"/>) or stops answering: how a restore driven from another machine (ssh, sandbox) watches a member
/// that listens on the node's loopback only.
/// </summary>
public sealed record WaitForEtcdHealthStep(string Node, string Description, string HealthUrl, bool Up) : RestoreStep(Node, Description)
{
    public string ProbeCommand => $"curl -fsS --max-time 5 {Shell.Quote(HealthUrl)}";

    public override string Render() => $"[{Node}] {Description}\n    $ {ProbeCommand}   (until it {(Up ? "reports \"health\":\"true\"" : "stops answering")})";
}

/// <summary>Poll the apiserver's /readyz from its node until it answers 200.</summary>
public sealed record WaitForApiServerStep(string Node, string Description, string HealthUrl) : RestoreStep(Node, Description)
{
    public string ProbeCommand => $"curl -ksf --max-time 5 -o /dev/null {Shell.Quote(HealthUrl)}";

    public override string Render() => $"[{Node}] {Description}\n    $ {ProbeCommand}   (until it succeeds)";
}

internal static class Shell
{
    /// <summary>POSIX single-quoting: safe for any path.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,@+".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
