using Drydock.Cli.Tests.Infrastructure;

namespace Drydock.Cli.Tests.Drain;

/// <summary>Bad input is rejected before any cluster access: one line, exit 2.</summary>
public sealed class DrainUsageTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var r = await CliHarness.RunWithoutClusterAsync(args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    public static TheoryData<string[], string> Cases => new()
    {
        { ["drain", "n1", "--timeout=5"], "error: invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\"" },
        { ["drain", "n1", "--dry-run=x"], "error: Invalid dry-run value (x). Must be \"none\", \"server\", or \"client\"." },
        { ["cordon", "n1", "--dry-run=maybe"], "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\"." },
        { ["drain", "n1", "-l", "role=worker"], "error: cannot specify both a node name and a --selector option" },
        { ["uncordon", "n1", "--selector=role=worker"], "error: cannot specify both a node name and a --selector option" },
        { ["drain"], "error: USAGE: drain NODE [flags]; see 'drydock drain --help'" },
        { ["drain", "pod/web-1"], "error: expected resource of type node, got \"/v1, Resource=pods\"" },
        { ["drain", "n1", "--chunk-size=-1"], "error: --chunk-size must be 0 or greater" },
        { ["drain", "n1", "--pod-selector=app in (a"], "error: --pod-selector=app in (a must be a valid label selector" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_reject_bad_input_with_one_line_and_exit_2(string[] args, string line)
    {
        // Given/When a command with bad input runs
        var (code, stdout, stderr) = await Run(args);

        // Then exit 2, one error line, nothing on stdout
        code.Should().Be(2);
        stderr.Trim().Should().Be(line);
        stdout.Should().BeEmpty();
    }
}
