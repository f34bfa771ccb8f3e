using System.Text.Json;

namespace Drydock.Cli.Tests.Planning;

public sealed class PlanCommandTests
{
    [Fact]
    public async Task Should_print_the_approved_plan_and_exit_1_when_a_pdb_blocks()
    {
        // Given the v1.27 HA fixture / When `drydock plan --snapshot FILE --to v1.28.15`
        var (code, stdout, stderr) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15", "--strategy", "fixed");

        // Then the text is exactly the library's approved golden file, and exit 1 (shop/payments-pdb blocks)
        stderr.Should().BeEmpty();
        stdout.Should().Be(File.ReadAllText(CliRunner.LibraryTests("Approved/plan-fixture-v1.28.15.approved.txt")));
        code.Should().Be(1);
    }

    [Fact]
    public async Task Should_emit_json_for_machines()
    {
        var (code, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15", "--max-unavailable", "40%", "--strategy", "fixed", "-o", "json");

        code.Should().Be(1);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        root.GetProperty("clusterVersion").GetString().Should().Be("v1.27.16");
        root.GetProperty("blocked").GetBoolean().Should().BeTrue();
        root.GetProperty("nextCommand").GetString().Should().Be("drydock upgrade --to v1.28.15 --max-unavailable 40%");
        var plan = root.GetProperty("plan");
        plan.GetProperty("batchSize").GetInt32().Should().Be(2);
        var steps = plan.GetProperty("hops")[0].GetProperty("steps").EnumerateArray().ToList();
        steps.Select(s => s.GetProperty("kind").GetString()).Should().Equal(
            "controlPlaneApply", "controlPlaneNode", "controlPlaneNode", "controlPlaneKubelet", "controlPlaneKubelet", "controlPlaneKubelet",
            "workerBatch", "workerBatch", "workerBatch");
        steps[^1].GetProperty("nodes").EnumerateArray().Select(n => n.GetString()).Should().Equal("worker-5");
        root.GetProperty("preflight").EnumerateArray().Should().Contain(p => p.GetProperty("check").GetString() == "pdb-drain-blockers" && p.GetProperty("status").GetString() == "fail");
    }

    [Fact]
    public async Task Should_batch_smartly_by_default_and_leave_the_blocked_node_alone_and_last()
    {
        // Given the fixture, whose shop/payments PDB (both pods on worker-4) can never allow an eviction
        // When planned with the default strategy, two workers at a time
        var (_, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15", "--max-unavailable", "2", "-o", "json");

        // Then worker-4 is drained last and alone; worker-1 and worker-2 go together; worker-3 and worker-5, which each
        // hold one pod of the zookeeper StatefulSet (PDB minAvailable 2 of 3: one at a time), share a batch too: the
        // second eviction waits one round for the first pod's replacement (never violating the PDB), 90 + 120 + 15 s,
        // where two batches would take 2 × (90 + 120) s (issue 9: accept a PDB wait round when cheaper than a batch)
        using var doc = JsonDocument.Parse(stdout);
        var workers = doc.RootElement.GetProperty("plan").GetProperty("hops")[0].GetProperty("steps").EnumerateArray()
            .Where(s => s.GetProperty("kind").GetString() == "workerBatch")
            .Select(s => s.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()!).ToList()).ToList();
        workers[^1].Should().Equal("worker-4");
        workers[0].Should().BeEquivalentTo(["worker-1", "worker-2"]);
        workers.Should().Contain(b => b.Contains("worker-3") && b.Contains("worker-5"));
        workers.SelectMany(b => b).Should().BeEquivalentTo(["worker-1", "worker-2", "worker-3", "worker-4", "worker-5"]);
    }

    [Fact]
    public async Task Should_emit_yaml_for_machines()
    {
        var (_, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15", "-o", "yaml");

        stdout.Should().Contain("clusterVersion: v1.27.16").And.Contain("check: pdb-drain-blockers").And.Contain("- worker-4");
    }

    [Fact]
    public async Task Should_pick_the_target_from_release_markers_like_kubeadm()
    {
        // Given markers for the current and next minor on a local server
        await using var markers = await MarkerServer.StartAsync(new() { ["stable-1.27.txt"] = "v1.27.16\n", ["stable-1.28.txt"] = "v1.28.15\n" });

        // When no --to is given
        var (_, stdout, stderr) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--release-url", markers.Url.ToString());

        // Then the latest of the next minor is the target, and both series are reported
        stderr.Should().BeEmpty();
        stdout.Should().Contain("[upgrade/versions] Latest version in the v1.27 series: none newer")
              .And.Contain("[upgrade/versions] Latest version in the v1.28 series: v1.28.15")
              .And.Contain("\tdrydock upgrade --to v1.28.15\n");
        markers.Requests.Should().Equal("stable-1.27.txt", "stable-1.28.txt");
    }

    [Fact]
    public async Task Should_plan_two_hops_through_the_latest_release_of_the_minor_in_between()
    {
        await using var markers = await MarkerServer.StartAsync(new() { ["stable-1.28.txt"] = "v1.28.15", ["stable-1.29.txt"] = "v1.29.10" });

        var (_, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.29.4", "--release-url", markers.Url.ToString());

        stdout.Should().Contain("Target version: v1.29.4 (2 hops, one minor at a time: v1.27.16 → v1.28.15 → v1.29.4)")
              .And.Contain("Hop 1 of 2: v1.27.16 → v1.28.15").And.Contain("Hop 2 of 2: v1.28.15 → v1.29.4");
    }

    [Fact]
    public async Task Should_say_up_to_date_when_no_newer_version_exists()
    {
        await using var markers = await MarkerServer.StartAsync(new() { ["stable-1.27.txt"] = "v1.27.16" });

        var (code, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--release-url", markers.Url.ToString());

        code.Should().Be(0);
        stdout.Should().EndWith("Awesome, you're up-to-date! Enjoy!\n");
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "1.x"], "error: invalid --to version: \"1.x\" is not a version: expected MAJOR.MINOR.PATCH such as v1.28.3" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "latest-ish"], "error: invalid --to version: \"latest-ish\" is not a version: expected MAJOR.MINOR.PATCH such as v1.28.3" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", ""], "error: invalid --to version: empty version string (expected e.g. v1.28.3)" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.1", "--max-unavailable", "0"], "error: invalid --max-unavailable \"0\": expected a number of nodes (at least 1) or a percentage such as 25%" },
        { ["plan", "--snapshot", "/nonexistent/snap.json", "--to", "v1.28.1"], "error: cannot read snapshot /nonexistent/snap.json: no such file" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "v1.26.3"], "error: Specified version \"v1.26.3\" is lower than the cluster version \"v1.27.16\"; a downgrade leaves kubelets newer than the API server (pass --force to plan it anyway)" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.0-rc.1"], "error: Specified version to upgrade to \"v1.28.0-rc.1\" is an unstable version and such upgrades weren't allowed via setting the --allow-*-upgrades flags" },
        { ["plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.1", "--release-url", "ftp://x"], "error: invalid --release-url \"ftp://x\": expected an http(s) URL such as https://dl.k8s.io/release" },
    };

    [Theory, MemberData(nameof(BadInput))]
    public async Task Should_reject_bad_input_with_one_line_and_exit_2(string[] args, string line)
    {
        var (code, stdout, stderr) = await CliRunner.Run(args);

        code.Should().Be(2);
        stderr.Should().Be(line + "\n");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_reject_a_file_that_is_not_a_kubernetes_list()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "{\"kind\":\"Node\"}");
            var (code, _, stderr) = await CliRunner.Run("plan", "--snapshot", file, "--to", "v1.28.1");
            code.Should().Be(2);
            stderr.Should().Be($"error: cannot read snapshot {file}: expected a Kubernetes List with \"items\" (kubectl get … -A -o json)\n");
        }
        finally { File.Delete(file); }
    }
}
