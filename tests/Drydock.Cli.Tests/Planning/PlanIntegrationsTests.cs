using Drydock.Cli.Tests.Etcd;
using Drydock.Etcd.Snapshot;
using Drydock.Testing.Pki;

namespace Drydock.Cli.Tests.Planning;

/// <summary>
/// drydock plan with the issue 7/8 integrations: a real etcd 3.4 (health and a snapshot saved by etcdctl), a generated
/// kubeadm PKI tree, on the CLI runner's manual clock (2026-01-01 00:00 UTC).
/// </summary>
public sealed class PlanIntegrationsTests(EtcdCliFixture etcd) : IClassFixture<EtcdCliFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Row(string stdout, string check) =>
        stdout.Split('\n').SingleOrDefault(l => l.StartsWith(check + " ", StringComparison.Ordinal)) ?? $"(no {check} row)";

    [Fact]
    public async Task Should_show_etcd_backup_and_certificate_rows()
    {
        // Given a real etcd, a snapshot of it saved 3h ago, and a healthy PKI tree
        using var tree = PkiTree.Create(Now);
        var backups = Directory.CreateDirectory(Path.Combine(etcd.Dir, "backups")).FullName;
        await etcd.EtcdctlAsync("snapshot", "save", Path.Combine(backups, SnapshotRetention.FileNameFor(Now - TimeSpan.FromHours(3))));

        // When planning against the fixture with the three integrations
        var (code, stdout, stderr) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15",
            "--pki-dir", tree.Layout.PkiDir, "--kubelet-dir", tree.Layout.KubeletDir, "--backup-dir", backups, "--etcd-endpoints", etcd.Endpoint);
        var (plainCode, _, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15");

        // Then the three rows pass, and the exit code is what the plan alone gives
        stderr.Should().BeEmpty();
        Row(stdout, "etcd-health").Should().MatchRegex(@"^etcd-health +PASS +1 etcd endpoint\(s\) healthy, leader http://127\.0\.0\.1:\d+/");
        Row(stdout, "etcd-backup").Should().MatchRegex(@"^etcd-backup +PASS +etcd snapshot 3h old \(limit 24h\)");
        Row(stdout, "certificates").Should().MatchRegex(@"^certificates +PASS +all certificates valid on 1 node\(s\) \(local\)");
        code.Should().Be(plainCode);
    }

    [Fact]
    public async Task Should_list_a_skipped_etcd_row_and_fail_on_an_expired_certificate()
    {
        // Given an expired apiserver certificate, an empty backup directory, and no etcd endpoint
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("apiserver", notAfter: Now - TimeSpan.FromDays(2));
        var backups = Directory.CreateTempSubdirectory("drydock-plan-backups-").FullName;

        try
        {
            // When planning
            var (code, stdout, _) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15",
                "--pki-dir", tree.Layout.PkiDir, "--kubelet-dir", tree.Layout.KubeletDir, "--backup-dir", backups);

            // Then etcd is skipped (not a failure), the backup warns with the save command, and the certificate blocks the plan
            code.Should().Be(1);
            Row(stdout, "etcd-health").Should().Contain("PASS").And.Contain("skipped: no etcd endpoints given");
            Row(stdout, "etcd-backup").Should().Contain("WARN").And.Contain($"no valid etcd snapshot in {backups}");
            stdout.Should().Contain($"remedy: take one now: drydock etcd snapshot save --dir {backups}");
            Row(stdout, "certificates").Should().Contain("FAIL").And.Contain("certificates are expired or broken");
            stdout.Should().Contain("- local: apiserver: ");
            stdout.Should().MatchRegex(@"Blocked: \d+ preflight check\(s\) failed \([^)]*certificates\)");
        }
        finally { Directory.Delete(backups, recursive: true); }
    }

    [Theory]
    [InlineData("--backup-max-age", "soon", "invalid --backup-max-age \"soon\"")]
    [InlineData("--cert-renewal-horizon", "-1h", "invalid --cert-renewal-horizon \"-1h\"")]
    [InlineData("--etcd-endpoints", "ftp://x", "etcd: invalid endpoint \"ftp://x\"")]
    public async Task Should_reject_bad_integration_flags_in_one_line(string flag, string value, string message)
    {
        // Given a bad value next to valid --backup-dir and --pki-dir
        var dir = Directory.CreateTempSubdirectory("drydock-plan-flags-").FullName;
        try
        {
            // When planning
            var (code, stdout, stderr) = await CliRunner.Run("plan", "--snapshot", CliRunner.Fixture, "--to", "v1.28.15",
                "--backup-dir", dir, "--pki-dir", dir, flag, value);

            // Then it is a usage error: one line naming the flag, exit 2, no plan printed
            code.Should().Be(2);
            stdout.Should().BeEmpty();
            stderr.Trim().Should().Contain(message).And.NotContain("\n");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
