using Drydock.Cli.Tests.Infrastructure;

namespace Drydock.Cli.Tests.Orchestration;

/// <summary>`upgrade` and `maintain` reject bad input before touching the cluster: one line, exit 2.</summary>
public sealed class RolloutUsageTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var r = await CliHarness.RunWithoutClusterAsync(args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    public static TheoryData<string[], string> Cases => new()
    {
        { ["upgrade"], "error: missing --to vX.Y.Z (or --resume to continue a run)" },
        { ["upgrade", "--to", "1.28"], "error: invalid --to version: \"1.28\" is not a version: expected MAJOR.MINOR.PATCH such as v1.28.3" },
        { ["upgrade", "--to", "v1.28.4", "--max-unavailable", "0"], "error: invalid --max-unavailable \"0\": expected a number of nodes (at least 1) or a percentage such as 25%" },
        { ["upgrade", "--resume", "--to", "v1.28.4"], "error: --resume continues the recorded run and takes no --to; drop one of them" },
        { ["maintain", "--", "apt-get -y upgrade"], "error: missing -l/--selector: name the nodes to maintain, e.g. -l node-role.kubernetes.io/worker=" },
        { ["maintain", "-l", "role=worker"], "error: nothing to do: give a command after -- (e.g. -- 'apt-get -y upgrade') and/or --reboot" },
        { ["maintain", "-l", "role=worker", "--reboot", "--command-timeout", "0"], "error: --command-timeout must be a positive number of seconds" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_reject_bad_input_with_one_line_and_exit_2(string[] args, string line)
    {
        // Given/When a rollout command with bad input runs
        var (code, stdout, stderr) = await Run(args);

        // Then exit 2, one error line naming the flag, nothing on stdout
        code.Should().Be(2);
        stderr.Trim().Should().Be(line);
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_reject_an_unknown_transport_at_parse_time()
    {
        // Given/When an unknown --transport
        var (code, _, stderr) = await Run("upgrade", "--to", "v1.28.4", "--transport", "telnet");

        // Then the parser names the accepted values
        code.Should().Be(2);
        stderr.Should().Contain("telnet").And.Contain("ssh").And.Contain("sandbox");
    }
}
