using Drydock.Nodes.Shell;
using Drydock.Nodes.Ssh;

namespace Drydock.Tests.Nodes.Ssh;

/// <summary>One sshd for the whole test class (tests in a class run one at a time, so the command log is theirs).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshFixture : IAsyncLifetime
{
    public SshdServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SshdServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public SshTarget Target(string node, PackageManager? pm = null, bool? sudo = null) => new()
    {
        Node = node, Host = "127.0.0.1", Port = Server.Port, User = "root", IdentityFile = Server.ClientKey, PackageManager = pm, Sudo = sudo,
    };

    public SshOptions Options(bool reuse = true) => new()
    {
        KnownHostsFile = Server.KnownHosts,
        ReuseConnections = reuse,
        StepTimeout = TimeSpan.FromSeconds(30),
        ControlPersist = TimeSpan.FromSeconds(10),
    };

    public ShellStepRenderer Renderer() => new(new PackageRepository
    {
        AptSourcesFile = Path.Combine(Server.Etc, "apt", "kubernetes.list"),
        YumRepoFile = Path.Combine(Server.Etc, "yum", "kubernetes.repo"),
    });

    public SshNodeAgentFactory Factory(PackageManager? pm = null, bool? sudo = null, SshOptions? options = null) =>
        new(new SshInventory(new Dictionary<string, SshTarget>
        {
            ["cp-1"] = Target("cp-1", pm, sudo), ["cp-2"] = Target("cp-2", pm, sudo), ["worker-1"] = Target("worker-1", pm, sudo),
        }), options ?? Options(), TimeProvider.System, Renderer());
}
