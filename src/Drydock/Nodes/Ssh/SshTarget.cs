using Drydock.Nodes.Shell;

namespace Drydock.Nodes.Ssh;

/// <summary>How to reach one node over SSH. <see cref="Sudo"/> null means "when the login is not root".</summary>
public sealed record SshTarget
{
    public required string Node { get; init; }
    public required string Host { get; init; }
    public string User { get; init; } = "root";
    public int Port { get; init; } = 22;
    public string? IdentityFile { get; init; }
    /// <summary>Null: detected on first use (apt-get present → apt, else yum).</summary>
    public PackageManager? PackageManager { get; init; }
    public bool? Sudo { get; init; }

    public bool UsesSudo => Sudo ?? User != "root";

    public override string ToString() => $"{User}@{Host}:{Port}";
}
