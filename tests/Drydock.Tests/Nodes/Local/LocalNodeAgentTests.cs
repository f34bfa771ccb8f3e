using Drydock.Common;
using Drydock.Nodes;
using Drydock.Nodes.Local;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Nodes.Local;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalNodeAgentTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalNodeAgent _agent = new("cp-1", TimeProvider.System);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("echo hello; echo oops >&2; exit 3", 3, "hello\n", "oops\n")]
    [InlineData("printf '%s' \"$((2+2))\"", 0, "4", "")]
    public async Task Should_run_a_command_through_bash(string command, int exit, string stdout, string stderr)
    {
        // Given a shell command
        // When the local agent runs it
        var result = await _agent.RunAsync(new RunCommand(command));

        // Then exit code and both streams come back, and the command line is what ran
        result.ExitCode.Should().Be(exit);
        result.Stdout.Should().Be(stdout);
        result.Stderr.Should().Be(stderr);
        result.CommandLine.Should().Be(command);
        result.Node.Should().Be("cp-1");
    }

    [Fact]
    public async Task Should_kill_a_command_at_its_timeout_on_the_injected_clock()
    {
        // Given a command that would run for a minute and a manual clock
        var clock = new ManualTimeProvider();
        var agent = new LocalNodeAgent("cp-1", clock);
        var run = agent.RunAsync(new RunCommand("sleep 60", TimeSpan.FromSeconds(5)));

        // When the clock passes the timeout
        clock.Advance(TimeSpan.FromSeconds(5));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        // Then the command is killed and reported as timed out
        result.ExitCode.Should().Be(LocalNodeAgent.TimedOutExitCode);
        result.Stderr.Should().Contain("timed out after 5s");
    }

    [Fact]
    public async Task Should_write_atomically_with_the_mode_and_read_back()
    {
        // Given a path in a temp dir
        var path = _dir["etcd.yaml"];

        // When writing then reading it
        var write = await _agent.RunAsync(new WriteFile(path, "kind: Pod\n", 0x180));
        var read = await _agent.RunAsync(new ReadFile(path));

        // Then the content round-trips, the mode is 0600, and no temp file is left
        write.Succeeded.Should().BeTrue(write.Stderr);
        write.CommandLine.Should().Be($"install -m 0600 /dev/stdin {path}");
        read.Stdout.Should().Be("kind: Pod\n");
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(_dir.Path).Should().ContainSingle();
    }

    [Fact]
    public async Task Should_report_a_missing_file_as_a_failed_step()
    {
        // Given a path that does not exist
        // When reading it
        var result = await _agent.RunAsync(new ReadFile(_dir["missing.yaml"]));

        // Then it is a failed result, not an exception
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().EndWith("No such file or directory");
    }

    [Fact]
    public async Task Should_refuse_package_steps_that_need_the_ssh_transport()
    {
        // Given a package step
        // When the local agent is asked to run it
        var act = () => _agent.RunAsync(new InstallPackages(["kubeadm"], "1.28.4"));

        // Then it says which transport does that
        (await act.Should().ThrowAsync<NodeAgentException>()).Which.Message.Should().Contain("needs --transport ssh");
    }
}
