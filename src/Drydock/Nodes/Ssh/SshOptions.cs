namespace Drydock.Nodes.Ssh;

/// <summary>
/// Options for the OpenSSH transport. Host keys are checked strictly by default (StrictHostKeyChecking=yes);
/// <see cref="AcceptNewHostKeys"/> is the explicit opt-out (accept-new into <see cref="KnownHostsFile"/>).
/// </summary>
public sealed record SshOptions
{
    /// <summary>The ssh client binary (system OpenSSH, as Ansible uses).</summary>
    public string SshPath { get; init; } = "ssh";
    /// <summary>Null: the user's own ~/.ssh/known_hosts.</summary>
    public string? KnownHostsFile { get; init; }
    public bool AcceptNewHostKeys { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Per-step timeout unless the step carries its own (RunCommand.Timeout). kubeadm upgrade apply can take minutes.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(20);
    /// <summary>How long the shared master connection outlives the last step.</summary>
    public TimeSpan ControlPersist { get; init; } = TimeSpan.FromSeconds(60);
    public bool ReuseConnections { get; init; } = true;
    /// <summary>Inventory-wide default target settings (user, port, identity) for nodes given by name only.</summary>
    public SshTarget? Defaults { get; init; }
}
