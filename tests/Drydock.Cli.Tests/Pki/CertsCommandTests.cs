using System.Text.Json;
using Drydock.Cli.Infrastructure;
using Drydock.Common;
using Drydock.Testing.Pki;
using Spectre.Console;

namespace Drydock.Cli.Tests.Pki;

public class CertsCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(int Exit, string Out, string Err)> Run(DateTimeOffset now, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var services = new CliServices
        {
            Out = console, Err = stderr, Time = new ManualTimeProvider(now), GetEnv = _ => null,
            KubeClientFactory = (_, _) => throw new DrydockException(new UsageError("no cluster in this test")),
        };
        var exit = await CliApp.RunAsync(args, services);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Dirs(PkiTree tree) =>
        ["--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir, "--kubelet-dir", tree.Layout.KubeletDir];

    [Fact]
    public async Task Should_print_kubeadm_tables_and_exit_0_for_a_healthy_node()
    {
        // Given a healthy tree
        using var tree = PkiTree.Create(Now);

        // When checked
        var (exit, output, _) = await Run(Now, ["certs", "check-expiration", .. Dirs(tree)]);

        // Then kubeadm's two tables (tabwriter layout, padding 3) plus the kubelet table, and exit 0
        exit.Should().Be(0);
        var lines = output.Split('\n');
        lines[0].Should().Be("CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED   STATUS");
        lines[1].Should().Be("admin.conf                 Mar 01, 2027 12:00 UTC   1y              ca                      no                   ok");
        lines[2].Should().StartWith("apiserver                  Mar 01, 2027 12:00 UTC   1y              ca ");
        lines[9].Should().StartWith("front-proxy-client         Mar 01, 2027 12:00 UTC   1y              front-proxy-ca ");
        lines[11].Should().BeEmpty();
        lines[12].Should().Be("CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED   STATUS");
        lines[13].Should().Be("ca                      Feb 27, 2036 12:00 UTC   10y             no                   ok");
        output.Should().Contain("kubelet-client-current.pem").And.Contain("kubelet certificate rotation: on").And.NotContain("ERROR");
    }

    [Fact]
    public async Task Should_exit_1_and_mark_expired_and_warning_rows()
    {
        // Given an expired apiserver and a scheduler.conf with 10 days left
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("apiserver", notAfter: Now - TimeSpan.FromDays(1));
        tree.WriteLeaf("scheduler.conf", notAfter: Now + TimeSpan.FromDays(10));

        // When checked
        var (exit, output, _) = await Run(Now, ["certs", "check-expiration", .. Dirs(tree)]);

        // Then exit 1, the rows carry <invalid>/EXPIRED and 10d/WARNING, and the problems are listed with the remedy
        exit.Should().Be(1);
        output.Split('\n').Should().Contain(l => l.StartsWith("apiserver ") && l.Contains("<invalid>") && l.EndsWith("EXPIRED"));
        output.Split('\n').Should().Contain(l => l.StartsWith("scheduler.conf ") && l.Contains("   10d   ") && l.EndsWith("WARNING"));
        output.Should().Contain("ERROR    apiserver: expired Feb 28, 2026 12:00 UTC").And.Contain("WARNING  scheduler.conf: expires in 10d")
            .And.Contain("To fix: renew with 'drydock certs renew all'");
    }

    [Fact]
    public async Task Should_name_a_corrupt_file_and_a_missing_one_without_crashing()
    {
        // Given a corrupt front-proxy-client.crt and no etcd/healthcheck-client.crt
        using var tree = PkiTree.Create(Now);
        File.WriteAllText(tree.Layout.PkiDir + "/front-proxy-client.crt", "-----BEGIN CERTIFICATE-----\n%%%\n");
        File.Delete(tree.Layout.PkiDir + "/etcd/healthcheck-client.crt");

        // When checked
        var (exit, output, err) = await Run(Now, ["certs", "check-expiration", .. Dirs(tree)]);

        // Then exit 1 with the file named, kubeadm's !MISSING! row, and no unexpected error
        exit.Should().Be(1);
        err.Should().NotContain("unexpected");
        output.Should().Contain("!INVALID! front-proxy-client").And.Contain("!MISSING! etcd-healthcheck-client");
        output.Should().Contain($"ERROR    front-proxy-client: {tree.Layout.PkiDir}/front-proxy-client.crt: the PEM CERTIFICATE block is damaged");
    }

    [Fact]
    public async Task Should_print_kubeadm_json_extended_with_status()
    {
        // Given an external front-proxy CA (key absent) and an expiring etcd-peer
        using var tree = PkiTree.Create(Now);
        File.Delete(tree.Layout.PkiDir + "/front-proxy-ca.key");
        tree.WriteLeaf("etcd-peer", notAfter: Now + TimeSpan.FromDays(10));

        // When checked with -o json
        var (exit, output, _) = await Run(Now, ["certs", "check-expiration", .. Dirs(tree), "-o", "json"]);

        // Then CertificateExpirationInfo with kubeadm's fields and ours
        exit.Should().Be(0);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        root.GetProperty("kind").GetString().Should().Be("CertificateExpirationInfo");
        root.GetProperty("apiVersion").GetString().Should().Be("output.kubeadm.k8s.io/v1alpha3");
        root.GetProperty("status").GetString().Should().Be("warning");
        var peer = root.GetProperty("certificates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "etcd-peer");
        peer.GetProperty("expirationDate").GetString().Should().Be("2026-03-11T12:00:00Z");
        peer.GetProperty("residualTime").GetInt64().Should().Be(10 * 86400);
        peer.GetProperty("caName").GetString().Should().Be("etcd-ca");
        peer.GetProperty("externallyManaged").GetBoolean().Should().BeFalse();
        peer.GetProperty("status").GetString().Should().Be("warning");
        var fp = root.GetProperty("certificateAuthorities").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "front-proxy-ca");
        fp.GetProperty("externallyManaged").GetBoolean().Should().BeTrue();
        root.GetProperty("kubelet").GetProperty("rotateCertificates").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Should_print_yaml()
    {
        using var tree = PkiTree.Create(Now);
        var (exit, output, _) = await Run(Now, ["certs", "check-expiration", .. Dirs(tree), "-o", "yaml"]);
        exit.Should().Be(0);
        output.Should().StartWith("kind: CertificateExpirationInfo\napiVersion: output.kubeadm.k8s.io/v1alpha3\n").And.Contain("- name: apiserver\n");
    }

    [Theory]
    [InlineData(new[] { "certs", "check-expiration", "--warn-days", "-1" }, "invalid --warn-days -1")]
    [InlineData(new[] { "certs", "renew", "apiservr" }, "unknown certificate \"apiservr\"")]
    [InlineData(new[] { "certs", "renew", "ca" }, "CAs are never renewed")]
    [InlineData(new[] { "certs", "renew", "all", "--validity", "1y" }, "invalid --validity \"1y\": use a Go duration")]
    public async Task Should_reject_bad_input_with_exit_2(string[] args, string message)
    {
        var (exit, _, err) = await Run(Now, args);
        exit.Should().Be(2);
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Should_renew_with_dry_run_writing_nothing_and_listing_pods()
    {
        // Given a tree
        using var tree = PkiTree.Create(Now, ecLeaves: true);
        var before = File.ReadAllText(tree.Layout.PkiDir + "/apiserver.crt");

        // When renew apiserver scheduler.conf --dry-run, 100 days later
        var (exit, output, _) = await Run(Now + TimeSpan.FromDays(100), ["certs", "renew", "apiserver", "scheduler.conf", "--dry-run",
            "--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir]);

        // Then it says what would happen, with the new expiry and backups, and lists the pods; nothing is written
        exit.Should().Be(0);
        output.Should().Contain("[dry-run] would renew certificate for serving the Kubernetes API\n  would expire Jun 09, 2027 12:00 UTC (was Mar 01, 2027 12:00 UTC), new serial ")
            .And.Contain($"would back up: {tree.Layout.PkiDir}/apiserver.crt.20260609T120000Z.bak")
            .And.Contain("Static pods that must restart on this node to use the new certificates: kube-apiserver, kube-scheduler");
        File.ReadAllText(tree.Layout.PkiDir + "/apiserver.crt").Should().Be(before);
        Directory.GetFiles(tree.Root, "*.bak", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Should_renew_all_and_then_check_clean_a_year_later()
    {
        // Given a tree whose certificates expired a day ago (virtual time: 366 days after creation)
        using var tree = PkiTree.Create(Now, ecLeaves: true);
        var later = Now + TimeSpan.FromDays(366);
        (await Run(later, ["certs", "check-expiration", .. Dirs(tree)])).Exit.Should().Be(1);

        // When renew all
        var (exit, output, _) = await Run(later, ["certs", "renew", "all", "--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir]);

        // Then kubeadm's messages, and the node checks clean again
        exit.Should().Be(0);
        output.Should().Contain("certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed")
            .And.Contain("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd")
            .And.Contain("Static pods that must restart on this node to use the new certificates: etcd, kube-apiserver, kube-controller-manager, kube-scheduler (use --restart");
        var (checkExit, checkOut, _) = await Run(later, ["certs", "check-expiration", .. Dirs(tree), "--warn-days", "0"]);
        checkOut.Split('\n').Skip(1).Take(10).Should().OnlyContain(l => l.Contains(" Mar 01, 2028 12:00 UTC   1y   ") && l.EndsWith(" ok"));
        // the kubelet's own certificates are not kubeadm's to renew: still expired, still an error
        checkExit.Should().Be(1);
        checkOut.Should().Contain("ERROR    kubelet-client-current.pem: expired");
    }

    [Fact]
    public async Task Should_refuse_a_certificate_of_an_external_ca_with_exit_1()
    {
        // Given the cluster CA key absent
        using var tree = PkiTree.Create(Now);
        File.Delete(tree.Layout.PkiDir + "/ca.key");

        // When renew apiserver
        var (exit, output, _) = await Run(Now, ["certs", "renew", "apiserver", "--pki-dir", tree.Layout.PkiDir, "--kubeconfig-dir", tree.Layout.KubeconfigDir]);

        // Then kubeadm's refusal and exit 1
        exit.Should().Be(1);
        output.Should().Contain("Detected external ca, certificate for serving the Kubernetes API can't be renewed");
    }
}
