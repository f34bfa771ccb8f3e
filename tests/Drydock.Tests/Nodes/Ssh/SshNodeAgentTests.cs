using Drydock.Nodes;
using Drydock.Nodes.Shell;
using Drydock.Nodes.Ssh;
using Drydock.Orchestration;

namespace Drydock.Tests.Nodes.Ssh;

/// <summary>
/// The SSH transport end to end against a real sshd on 127.0.0.1: the node procedures of the seeds, rendered for
/// apt and yum, arrive on the node as exactly the guides' command lines, in order, per role.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshNodeAgentTests(SshFixture fx) : IClassFixture<SshFixture>
{
    private static readonly RolloutHop MinorHop = new() { Version = "1.28.4", SwitchRepository = true, Batches = [] };

    public static TheoryData<NodeRole, string[]> AptSequences => new()
    {
        { NodeRole.FirstControlPlane, [
            "apt-mark unhold kubeadm", "apt-get update", "apt-get install -y kubeadm=1.28.4-*", "apt-mark hold kubeadm",
            "kubeadm version -o short", "kubeadm upgrade plan v1.28.4", "kubeadm upgrade apply -y v1.28.4",
            "apt-mark unhold kubelet kubectl", "apt-get update", "apt-get install -y kubelet=1.28.4-* kubectl=1.28.4-*", "apt-mark hold kubelet kubectl",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
        { NodeRole.ControlPlane, [
            "apt-mark unhold kubeadm", "apt-get update", "apt-get install -y kubeadm=1.28.4-*", "apt-mark hold kubeadm",
            "kubeadm version -o short", "kubeadm upgrade node",
            "apt-mark unhold kubelet kubectl", "apt-get update", "apt-get install -y kubelet=1.28.4-* kubectl=1.28.4-*", "apt-mark hold kubelet kubectl",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
        { NodeRole.Worker, [
            "apt-mark unhold kubeadm", "apt-get update", "apt-get install -y kubeadm=1.28.4-*", "apt-mark hold kubeadm",
            "kubeadm version -o short", "kubeadm upgrade node",
            "apt-mark unhold kubelet kubectl", "apt-get update", "apt-get install -y kubelet=1.28.4-* kubectl=1.28.4-*", "apt-mark hold kubelet kubectl",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
    };

    public static TheoryData<NodeRole, string[]> YumSequences => new()
    {
        { NodeRole.FirstControlPlane, [
            "yum install -y kubeadm-1.28.4-* --disableexcludes=kubernetes",
            "kubeadm version -o short", "kubeadm upgrade plan v1.28.4", "kubeadm upgrade apply -y v1.28.4",
            "yum install -y kubelet-1.28.4-* kubectl-1.28.4-* --disableexcludes=kubernetes",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
        { NodeRole.ControlPlane, [
            "yum install -y kubeadm-1.28.4-* --disableexcludes=kubernetes",
            "kubeadm version -o short", "kubeadm upgrade node",
            "yum install -y kubelet-1.28.4-* kubectl-1.28.4-* --disableexcludes=kubernetes",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
        { NodeRole.Worker, [
            "yum install -y kubeadm-1.28.4-* --disableexcludes=kubernetes",
            "kubeadm version -o short", "kubeadm upgrade node",
            "yum install -y kubelet-1.28.4-* kubectl-1.28.4-* --disableexcludes=kubernetes",
            "systemctl daemon-reload", "systemctl restart kubelet"] },
    };

    [Theory]
    [MemberData(nameof(AptSequences))]
    public async Task Should_run_the_seed_apt_commands_in_order_per_role(NodeRole role, string[] expected)
    {
        // Given an apt node reached over ssh
        await using var factory = fx.Factory(PackageManager.Apt);
        fx.Server.TakeCommands();

        // When every node-agent step of the role's upgrade procedure runs
        await RunAgentSteps(factory.For("cp-1"), role);

        // Then the node saw the guide's commands in order, and the repository points at v1.28
        fx.Server.TakeCommands().Should().Equal(expected);
        File.ReadAllText(Path.Combine(fx.Server.Etc, "apt", "kubernetes.list")).Should()
            .Be("deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.28/deb/ /\n");
    }

    [Theory]
    [MemberData(nameof(YumSequences))]
    public async Task Should_run_the_seed_yum_commands_in_order_per_role(NodeRole role, string[] expected)
    {
        // Given a yum node
        await using var factory = fx.Factory(PackageManager.Yum);
        fx.Server.TakeCommands();

        // When the role's procedure runs
        await RunAgentSteps(factory.For("worker-1"), role);

        // Then yum got the guide's commands and the repo file names the v1.28 repository with excludes
        fx.Server.TakeCommands().Should().Equal(expected);
        var repo = File.ReadAllText(Path.Combine(fx.Server.Etc, "yum", "kubernetes.repo"));
        repo.Should().Contain("baseurl=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/\n")
            .And.Contain("gpgkey=https://pkgs.k8s.io/core:/stable:/v1.28/rpm/repodata/repomd.xml.key\n")
            .And.Contain("exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n");
    }

    [Fact]
    public async Task Should_wrap_commands_in_sudo_n_when_the_login_is_not_root()
    {
        // Given a node configured to use sudo
        await using var factory = fx.Factory(PackageManager.Apt, sudo: true);
        fx.Server.TakeCommands();

        // When kubelet is restarted
        var result = await factory.For("cp-2").RunAsync(new RestartKubelet());

        // Then sudo -n ran the command (never prompting), then systemctl
        result.Succeeded.Should().BeTrue();
        fx.Server.TakeCommands().Should().Equal(
            "sudo -n sh -c systemctl daemon-reload && systemctl restart kubelet", "systemctl daemon-reload", "systemctl restart kubelet");
    }

    [Fact]
    public async Task Should_capture_exit_code_command_and_output_of_a_failed_step()
    {
        // Given apt cannot find the requested version
        await using var factory = fx.Factory(PackageManager.Apt);
        File.WriteAllText(fx.Server.FailOn, "apt-get install -y kubeadm=1.28.4-*");
        try
        {
            // When kubeadm is installed
            var result = await factory.For("cp-1").RunAsync(new InstallPackages(["kubeadm"], "1.28.4"));

            // Then the result carries the exact command, apt's exit code and its stderr, and apt-mark hold never ran
            result.Succeeded.Should().BeFalse();
            result.ExitCode.Should().Be(100);
            result.CommandLine.Should().Be("apt-mark unhold kubeadm && apt-get update && apt-get install -y kubeadm='1.28.4-*' && apt-mark hold kubeadm");
            result.Stderr.Should().Contain("E: Version '1.28.4-*' for 'kubeadm' was not found");
            fx.Server.TakeCommands().Should().NotContain("apt-mark hold kubeadm");
        }
        finally { File.Delete(fx.Server.FailOn); }
    }

    [Fact]
    public async Task Should_list_available_versions_newest_first_for_apt_and_yum()
    {
        // Given one apt and one yum view of the same node
        await using var apt = fx.Factory(PackageManager.Apt);
        await using var yum = fx.Factory(PackageManager.Yum);

        // When the versions are listed
        var a = await apt.For("cp-1").RunAsync(new ListAvailableVersions("kubeadm"));
        var y = await yum.For("cp-1").RunAsync(new ListAvailableVersions("kubeadm"));

        // Then madison and yum list are parsed without package revisions, newest first
        a.Versions.Should().Equal("1.28.10", "1.28.4", "1.28.3");
        y.Versions.Should().Equal("1.28.4", "1.28.3");
    }

    [Fact]
    public async Task Should_report_node_facts_and_detect_apt()
    {
        // Given a node whose package manager is not configured
        await using var factory = fx.Factory(pm: null);

        // When its facts are queried
        var result = await factory.For("cp-1").RunAsync(new QueryNodeFacts());

        // Then dpkg's versions, holds and the boot id come back
        result.Succeeded.Should().BeTrue(result.Stderr);
        result.Facts!.PackageManager.Should().Be("apt");
        result.Facts.Installed.Should().Contain("kubeadm", "1.27.6").And.Contain("kubelet", "1.27.6").And.NotContainKey("kubectl");
        result.Facts.Held.Should().Equal("kubeadm", "kubelet", "kubectl");
        result.Facts.BootId.Should().Be(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());
    }

    [Fact]
    public async Task Should_refuse_an_unknown_host_key_by_default()
    {
        // Given an empty known_hosts file and strict checking (the default)
        var empty = Path.Combine(fx.Server.Dir, "empty_known_hosts");
        File.WriteAllText(empty, "");
        await using var factory = fx.Factory(PackageManager.Apt, options: fx.Options() with { KnownHostsFile = empty });

        // When a step runs
        var act = () => factory.For("cp-1").RunAsync(new KubeadmVersion());

        // Then it fails naming the host and the way out, and nothing ran on the node
        fx.Server.TakeCommands();
        (await act.Should().ThrowAsync<NodeAgentException>()).Which.Message.Should()
            .Contain("host key verification failed for root@127.0.0.1").And.Contain("--ssh-insecure-accept-host-keys");
        fx.Server.TakeCommands().Should().BeEmpty();
    }

    [Fact]
    public async Task Should_accept_and_record_a_new_host_key_when_opted_out()
    {
        // Given the insecure opt-out with a known_hosts file of our own
        var own = Path.Combine(fx.Server.Dir, "own_known_hosts");
        await using var factory = fx.Factory(PackageManager.Apt, options: fx.Options() with { KnownHostsFile = own, AcceptNewHostKeys = true });

        // When a step runs
        var result = await factory.For("cp-1").RunAsync(new KubeadmVersion());

        // Then it succeeds and the key was written to that file
        result.Stdout.Trim().Should().Be("v1.28.4");
        File.ReadAllText(own).Should().Contain(File.ReadAllText(Path.Combine(fx.Server.Dir, "host_key.pub")).Split(' ')[1]);
    }

    [Fact]
    public async Task Should_kill_a_step_that_outlives_its_timeout()
    {
        // Given a command with a one second timeout
        await using var factory = fx.Factory(PackageManager.Apt);
        var started = System.Diagnostics.Stopwatch.StartNew();

        // When it sleeps longer
        var result = await factory.For("cp-1").RunAsync(new RunCommand("echo started; sleep 30", TimeSpan.FromSeconds(1)));

        // Then it is killed with exit 124 and says so
        result.ExitCode.Should().Be(124);
        result.Stderr.Should().Contain("timed out after 1s");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Should_write_and_read_a_file_atomically_with_its_mode()
    {
        // Given a file path on the node
        await using var factory = fx.Factory(PackageManager.Apt);
        var path = Path.Combine(fx.Server.Dir, "written.conf");
        var agent = factory.For("cp-1");

        // When it is written with quotes and newlines, then read back
        (await agent.RunAsync(new WriteFile(path, "a 'quoted' line\n$HOME stays literal\n", 0x1A4))).Succeeded.Should().BeTrue();
        var read = await agent.RunAsync(new ReadFile(path));

        // Then the bytes and the mode survive
        read.Stdout.Should().Be("a 'quoted' line\n$HOME stays literal\n");
        File.GetUnixFileMode(path).Should().Be((UnixFileMode)0x1A4);
    }

    [Fact]
    public async Task Should_share_one_master_connection_across_steps()
    {
        // Given connection reuse (the default)
        var factory = fx.Factory(PackageManager.Apt);
        var agent = (SshNodeAgent)factory.For("cp-1");

        // When two steps run
        await agent.RunAsync(new KubeadmVersion());
        await agent.RunAsync(new KubeadmVersion());

        // Then exactly one control socket (named by ssh's %C hash) exists in this factory's directory while it lives,
        // and the directory is gone after disposal (other tests' factories have directories of their own)
        var dir = factory.ControlDirectory!;
        Directory.GetFileSystemEntries(dir).Should().ContainSingle().Which.Should().Match(f => Path.GetFileName(f).Length == 40);
        await factory.DisposeAsync();
        Directory.Exists(dir).Should().BeFalse();
    }

    private static async Task RunAgentSteps(INodeAgent agent, NodeRole role)
    {
        foreach (var step in NodeProcedures.Upgrade(MinorHop, role).OfType<AgentProcedureStep>())
        {
            var result = await agent.RunAsync(step.Step);
            result.Succeeded.Should().BeTrue($"{result.CommandLine} failed: {result.Stderr}");
        }
    }
}
