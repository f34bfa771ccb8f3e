using System.CommandLine;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Nodes;
using Drydock.Nodes.Shell;
using Drydock.Nodes.Ssh;

namespace Drydock.Cli.Infrastructure;

/// <summary>
/// How commands reach nodes (`--transport ssh|sandbox` and the `--ssh-*` flags), shared by upgrade, maintain and
/// certs: one place that turns flags into an <see cref="INodeAgentFactory"/>.
/// </summary>
internal sealed class NodeTransportOptions
{
    public Option<string> Transport { get; } = new("--transport") { Description = "How to reach nodes: ssh (system OpenSSH) or sandbox (the sandbox's simulated nodes)", DefaultValueFactory = _ => "ssh" };
    public Option<string?> Inventory { get; } = new("--ssh-inventory") { Description = "YAML inventory: defaults and per-node host/user/port/identityFile/packageManager/sudo" };
    public Option<string?> SshUser { get; } = new("--ssh-user") { Description = "SSH login (default root; sudo -n is used when not root)" };
    public Option<int?> SshPort { get; } = new("--ssh-port") { Description = "SSH port (default 22)" };
    public Option<string?> SshIdentity { get; } = new("--ssh-identity", "-i") { Description = "Private key file for SSH" };
    public Option<string?> KnownHosts { get; } = new("--ssh-known-hosts") { Description = "known_hosts file (default: your ~/.ssh/known_hosts)" };
    public Option<bool> AcceptHostKeys { get; } = new("--ssh-insecure-accept-host-keys") { Description = "Accept unknown host keys (StrictHostKeyChecking=accept-new) — for labs and tests only" };
    public Option<string?> PackageManager { get; } = new("--package-manager") { Description = "apt or yum for every node (default: detected per node)" };
    public Option<string?> RepoUrl { get; } = new("--package-repo-url") { Description = $"Base URL of the per-minor package repositories (default {PackageRepository.DefaultBaseUrl})" };
    public Option<int> StepTimeout { get; } = new("--step-timeout") { Description = "Seconds one node step may take before it is killed (default 1200)", DefaultValueFactory = _ => 1200 };

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Transport, Inventory, SshUser, SshPort, SshIdentity, KnownHosts, AcceptHostKeys, PackageManager, RepoUrl, StepTimeout })
            c.Options.Add(o);
        Transport.AcceptOnlyFromAmong("ssh", "sandbox");
    }

    public bool IsSandbox(ParseResult parse) => parse.GetValue(Transport) == "sandbox";

    /// <summary>Builds the agents; <paramref name="kube"/> is needed only for the sandbox (its server URL serves the agents).</summary>
    public NodeTransport Create(CliServices services, ParseResult parse, IKubeClient? kube)
    {
        if (IsSandbox(parse))
        {
            if (kube is null || kube.Server.Scheme is not ("http" or "https"))
                throw new DrydockException(new UsageError($"--transport sandbox needs a sandbox served over HTTP (`drydock sandbox serve`); the kubeconfig's server is {kube?.Server.ToString() ?? "not set"}"));
            var sandbox = new Drydock.Nodes.Sandbox.SandboxNodeAgentFactory(kube.Server);
            return new NodeTransport(sandbox, new SyncDisposer(sandbox));
        }
        var pmText = parse.GetValue(PackageManager);
        var pm = pmText is null ? (Nodes.Shell.PackageManager?)null : PackageManagers.TryParse(pmText)
            ?? throw new DrydockException(new UsageError($"--package-manager \"{pmText}\" is not apt, yum or dnf"));
        var port = parse.GetValue(SshPort);
        if (port is < 1 or > 65535) throw new DrydockException(new UsageError($"--ssh-port {port} is out of range 1-65535"));
        var defaults = new SshTarget
        {
            Node = "*", Host = "", User = parse.GetValue(SshUser) ?? "root", Port = port ?? 22, IdentityFile = parse.GetValue(SshIdentity), PackageManager = pm,
        };
        var inventoryPath = parse.GetValue(Inventory);
        var inventory = inventoryPath is null ? new SshInventory(new Dictionary<string, SshTarget>(), defaults) : SshInventory.Load(inventoryPath, defaults);
        if (parse.GetValue(StepTimeout) <= 0) throw new DrydockException(new UsageError("--step-timeout must be a positive number of seconds"));
        var options = new SshOptions
        {
            KnownHostsFile = parse.GetValue(KnownHosts),
            AcceptNewHostKeys = parse.GetValue(AcceptHostKeys),
            StepTimeout = TimeSpan.FromSeconds(parse.GetValue(StepTimeout)),
            Defaults = inventory.Defaults ?? defaults,
        };
        var repo = new PackageRepository { BaseUrl = parse.GetValue(RepoUrl)?.TrimEnd('/') ?? PackageRepository.DefaultBaseUrl };
        var factory = new SshNodeAgentFactory(inventory, options, services.Time, new ShellStepRenderer(repo));
        return new NodeTransport(factory, factory);
    }

    private sealed class SyncDisposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { inner.Dispose(); return ValueTask.CompletedTask; }
    }
}

/// <summary>The node agents for one command, and what must be disposed with them (ssh control masters).</summary>
internal sealed class NodeTransport(INodeAgentFactory agents, IAsyncDisposable? owned) : IAsyncDisposable
{
    public INodeAgentFactory Agents { get; } = agents;
    public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
