using Drydock.Nodes.Shell;

namespace Drydock.Nodes.Ssh;

/// <summary>
/// Builds one <see cref="SshNodeAgent"/> per node from an inventory (or defaults plus the node name as host) and owns
/// the private directory holding the ControlMaster sockets; disposing closes the masters and removes it.
/// </summary>
public sealed class SshNodeAgentFactory : INodeAgentFactory, IAsyncDisposable
{
    private readonly SshInventory _inventory;
    private readonly SshOptions _options;
    private readonly ShellStepRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly string? _controlDir;
    private readonly Dictionary<string, SshNodeAgent> _agents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public SshNodeAgentFactory(SshInventory inventory, SshOptions options, TimeProvider time, ShellStepRenderer? renderer = null)
    {
        _inventory = inventory;
        _options = options;
        _time = time;
        _renderer = renderer ?? new ShellStepRenderer();
        // Short path: unix socket paths are limited to ~104 bytes and %C adds 40.
        _controlDir = options.ReuseConnections ? Directory.CreateTempSubdirectory("dd-ssh-").FullName : null;
        if (_controlDir is not null && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(_controlDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Where the shared connections' control sockets live (null without connection reuse).</summary>
    public string? ControlDirectory => _controlDir;

    public INodeAgent For(string nodeName)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(nodeName, out var agent))
                _agents[nodeName] = agent = new SshNodeAgent(_inventory.Resolve(nodeName, _options.Defaults), _options, _renderer, _time, _controlDir);
            return agent;
        }
    }

    public async ValueTask DisposeAsync()
    {
        SshNodeAgent[] agents;
        lock (_gate) agents = [.. _agents.Values];
        foreach (var a in agents) await a.CloseAsync();
        if (_controlDir is not null)
            try { Directory.Delete(_controlDir, recursive: true); } catch (IOException) { }
    }
}
