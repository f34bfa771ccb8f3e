using System.Text.Json;
using Drydock.Cli.Tests.Planning;

namespace Drydock.Cli.Tests.Rehearsal;

[Collection("rehearsal (not parallel)")]
public sealed class RehearseCommandTests
{
    private static readonly string Fixture = CliRunner.Fixture;
    private static readonly string[] Common = ["rehearse", "--to", "v1.28.15", "--snapshot", Fixture, "--force", "--delete-emptydir-data", "--max-unavailable", "2", "--no-range", "--time-limit", "40m"];

    [Fact]
    public async Task Should_print_the_blocked_drain_and_its_pdb_numbers_as_a_table()
    {
        // Given the fixture whose shop/payments PDB blocks worker-4's drain
        // When it is rehearsed
        var (code, output, _) = await CliRunner.Run(Common);

        // Then exit 1, the one-line verdict names worker-4 and the PDB, and the waits table shows its numbers
        code.Should().Be(1);
        output.Should().Contain("would not finish: the drain of worker-4 waits on PDB shop/payments-pdb (minAvailable 2: 2 healthy, 2 desired, 0 disruptions allowed)");
        output.Should().MatchRegex(@"worker-4\s+shop/payments-\S+\s+shop/payments-pdb\s+minAvailable 2\s+2/2/0\s+\+\S+\s+never");
        output.Should().Contain("Skew: within policy at every moment");
        output.Should().MatchRegex(@"etcd quorum: kept throughout \(at least [23]/3 members up\)").And.Contain("PDB violations: 0");
    }

    [Fact]
    public async Task Should_write_the_report_as_json()
    {
        var (code, output, _) = await CliRunner.Run([.. Common, "-o", "json"]);

        code.Should().Be(1);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        root.GetProperty("finished").GetBoolean().Should().BeFalse();
        root.GetProperty("from").GetString().Should().Be("v1.27.16");
        var wait = root.GetProperty("pdbWaits").EnumerateArray().First(w => w.GetProperty("pdb").GetString() == "shop/payments-pdb");
        wait.GetProperty("node").GetString().Should().Be("worker-4");
        wait.GetProperty("disruptionsAllowed").GetInt32().Should().Be(0);
        wait.GetProperty("endSeconds").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("skewViolations").GetArrayLength().Should().Be(0);
        root.GetProperty("etcdQuorum").GetProperty("alwaysKept").GetBoolean().Should().BeTrue();
        var cp1 = root.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("name").GetString() == "cp-1");
        cp1.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Should().Contain("kubeadm-upgrade-apply");
    }

    [Fact]
    public async Task Should_write_one_self_contained_html_page_with_the_timeline()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rehearsal-{Guid.NewGuid():N}.html");
        try
        {
            var (code, output, err) = await CliRunner.Run([.. Common, "-o", "html", "--out", file]);

            code.Should().Be(1);
            output.Should().BeEmpty();
            err.Should().Contain($"wrote {file}");
            var html = await File.ReadAllTextAsync(file);
            html.Should().StartWith("<!DOCTYPE html>").And.Contain("<svg").And.Contain("shop/payments-pdb").And.Contain("url(#pdb)");
            // no external assets: the only URL is the SVG namespace
            html.Replace("http://www.w3.org/2000/svg", "").Should().NotContain("http://").And.NotContain("https://").And.NotContain("<script src").And.NotContain("<link");
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("--to", "1.x", "--to 1.x")]
    [InlineData("--strategy", "fastest", "serial, fixed or smart")]
    [InlineData("--profile", "slowest", "low, typical or high")]
    [InlineData("-o", "yaml", "table, json or html")]
    [InlineData("--step-duration", "kubeadm-node", "--step-duration kubeadm-node: expected NAME=DURATION")]
    [InlineData("--step-duration", "reboot=5m", "unknown step reboot")]
    public async Task Should_refuse_bad_input_with_one_line_and_exit_2(string flag, string value, string message)
    {
        var args = new List<string> { "rehearse", "--to", "v1.28.15", "--snapshot", Fixture };
        var i = args.IndexOf(flag);
        if (i >= 0) args[i + 1] = value; else args.AddRange([flag, value]);

        var (code, _, err) = await CliRunner.Run([.. args]);

        code.Should().Be(2);
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Should_predict_a_longer_upgrade_when_a_step_is_stated_slower()
    {
        // Given the fixture rehearsed with the typical profile, and again with kubeadm upgrade node stated as 10 minutes
        var (_, typical, _) = await CliRunner.Run([.. Common, "-o", "json"]);
        var (code, slow, _) = await CliRunner.Run([.. Common, "-o", "json", "--step-duration", "kubeadm-node=10m", "--step-duration", "pod-start=5s"]);

        // Then the profile names the override, and every node that ran kubeadm upgrade node spent 10 minutes in that step (not the typical 20 s)
        code.Should().Be(1);
        using var doc = JsonDocument.Parse(slow);
        doc.RootElement.GetProperty("profile").GetString().Should().Be("typical (kubeadm-node=10m0s, pod-start=5s)");
        var nodeSteps = doc.RootElement.GetProperty("nodes").EnumerateArray()
            .SelectMany(n => n.GetProperty("steps").EnumerateArray())
            .Where(s => s.GetProperty("id").GetString() == "kubeadm-upgrade-node" && s.GetProperty("endSeconds").ValueKind == JsonValueKind.Number)
            .ToList();
        nodeSteps.Should().NotBeEmpty();
        nodeSteps.Should().OnlyContain(s => s.GetProperty("endSeconds").GetDouble() - s.GetProperty("startSeconds").GetDouble() >= 600);
        using var baseline = JsonDocument.Parse(typical);
        baseline.RootElement.GetProperty("nodes").EnumerateArray()
            .SelectMany(n => n.GetProperty("steps").EnumerateArray())
            .Where(s => s.GetProperty("id").GetString() == "kubeadm-upgrade-node" && s.GetProperty("endSeconds").ValueKind == JsonValueKind.Number)
            .Should().OnlyContain(s => s.GetProperty("endSeconds").GetDouble() - s.GetProperty("startSeconds").GetDouble() < 600);
    }

    [Fact]
    public async Task Should_say_the_snapshot_file_is_missing()
    {
        var (code, _, err) = await CliRunner.Run("rehearse", "--to", "v1.28.15", "--snapshot", "/nonexistent/cluster.json");

        code.Should().Be(2);
        err.Should().Contain("no such file");
    }
}

[CollectionDefinition("rehearsal (not parallel)", DisableParallelization = true)]
public sealed class RehearsalCollection;
