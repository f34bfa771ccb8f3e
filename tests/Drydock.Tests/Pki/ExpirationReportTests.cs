using Drydock.Common;
using Drydock.Nodes;
using Drydock.Pki;
using Drydock.Testing.Pki;

namespace Drydock.Tests.Pki;

public class ExpirationReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<ExpirationReport> CheckAsync(PkiTree tree, ExpirationOptions? options = null, IPkiFileSource? source = null, PkiLayout? layout = null)
    {
        var snapshot = await PkiSnapshotReader.ReadAsync(source ?? new LocalPkiFileStore(), layout ?? tree.Layout);
        return ExpirationReport.Create(CertificateInventory.Build(snapshot), new ManualTimeProvider(Now), options);
    }

    private static ExpirationRow Row(ExpirationReport r, string name) => r.AllRows.Single(x => x.Entry.Name == name);

    [Fact]
    public async Task Should_pass_a_healthy_tree_with_kubeadm_rows()
    {
        // Given a fresh kubeadm tree
        using var tree = PkiTree.Create(Now);

        // When checked
        var report = await CheckAsync(tree);

        // Then kubeadm's ten rows (no super-admin.conf: absent), sorted, three CAs, all ok
        report.Certificates.Select(r => r.Entry.Name).Should().Equal(
            "admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "controller-manager.conf",
            "etcd-healthcheck-client", "etcd-peer", "etcd-server", "front-proxy-client", "scheduler.conf");
        report.Authorities.Select(r => r.Entry.Name).Should().Equal("ca", "etcd-ca", "front-proxy-ca");
        report.AllRows.Should().OnlyContain(r => r.Status == CertificateStatus.Ok);
        Row(report, "apiserver").Residual.Should().Be("1y");
        Row(report, "apiserver").Expires.Should().Be("Mar 01, 2027 12:00 UTC");
        Row(report, "ca").Residual.Should().Be("10y");
        Row(report, "apiserver").Entry.DnsNames.Should().Contain("kubernetes.default.svc.cluster.local");
        Row(report, "apiserver").Entry.IpAddresses.Should().Contain("10.96.0.1");
        Row(report, "admin.conf").Entry.CaName.Should().Be("ca");
        Row(report, "front-proxy-client").Entry.CaName.Should().Be("front-proxy-ca");
        report.KubeletCertificates.Select(r => r.Entry.Name).Should().Equal("kubelet-client-current.pem", "kubelet.crt");
        report.KubeletRotation.Should().BeTrue();
        report.HasErrors.Should().BeFalse();
        ExpirationReport.Summarize(report).Verdict.Should().Be(CheckVerdict.Pass);
    }

    [Fact]
    public async Task Should_list_super_admin_conf_when_present()
    {
        // Given a 1.29+ tree with super-admin.conf
        using var tree = PkiTree.Create(Now, superAdmin: true);

        // Then it is an eleventh row, renewable like the others
        var report = await CheckAsync(tree);
        report.Certificates.Should().HaveCount(11);
        Row(report, "super-admin.conf").Status.Should().Be(CertificateStatus.Ok);
    }

    [Fact]
    public async Task Should_warn_under_the_threshold_and_not_above_it()
    {
        // Given apiserver expiring in 10 days
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("apiserver", notAfter: Now + TimeSpan.FromDays(10));

        // When checked with the default 30 days, then with 5 days
        var report = await CheckAsync(tree);
        var relaxed = await CheckAsync(tree, new ExpirationOptions { WarnWithin = TimeSpan.FromDays(5) });

        // Then a warning with the residual time, and none under a 5-day threshold
        Row(report, "apiserver").Status.Should().Be(CertificateStatus.Warning);
        Row(report, "apiserver").Residual.Should().Be("10d");
        Row(report, "apiserver").Problems.Should().ContainSingle().Which.Should().Contain("expires in 10d");
        var summary = ExpirationReport.Summarize(report);
        summary.Verdict.Should().Be(CheckVerdict.Warn);
        summary.Evidence.Should().ContainSingle().Which.Should().StartWith("local: apiserver: expires in 10d");
        summary.Remedy.Should().Contain("drydock certs renew all");
        Row(relaxed, "apiserver").Status.Should().Be(CertificateStatus.Ok);
    }

    [Fact]
    public async Task Should_error_on_an_expired_certificate()
    {
        // Given an expired etcd-server certificate
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("etcd-server", notAfter: Now - TimeSpan.FromDays(2));

        // Then an error row with <invalid> residual time
        var report = await CheckAsync(tree);
        var row = Row(report, "etcd-server");
        row.Status.Should().Be(CertificateStatus.Error);
        row.Residual.Should().Be("<invalid>");
        row.Problems.Should().Contain("expired Feb 27, 2026 12:00 UTC");
        report.HasErrors.Should().BeTrue();
        ExpirationReport.Summarize(report).Verdict.Should().Be(CheckVerdict.Fail);
    }

    [Fact]
    public async Task Should_error_when_a_leaf_does_not_chain_to_its_ca()
    {
        // Given apiserver signed by another CA that is also called "kubernetes"
        using var tree = PkiTree.Create(Now);
        using var impostor = PkiTree.ImpostorCa(Now);
        tree.WriteLeaf("apiserver", signer: impostor);

        // Then it is an error naming the CA, though its dates are fine
        var report = await CheckAsync(tree);
        var row = Row(report, "apiserver");
        row.Status.Should().Be(CertificateStatus.Error);
        row.Residual.Should().Be("1y");
        row.Entry.ChainError.Should().StartWith("not signed by ca");
        Row(report, "apiserver-kubelet-client").Status.Should().Be(CertificateStatus.Ok);
        ExpirationReport.Summarize(report).Remedy.Should().Contain("not issued by it");
    }

    [Fact]
    public async Task Should_mark_leaves_of_a_ca_without_key_as_externally_managed()
    {
        // Given the front-proxy CA key removed (kubeadm's external CA mode)
        using var tree = PkiTree.Create(Now);
        File.Delete(tree.Layout.PkiDir + "/front-proxy-ca.key");

        // Then the CA and its leaf say yes, others no, and nothing is an error
        var report = await CheckAsync(tree);
        Row(report, "front-proxy-ca").Entry.ExternallyManaged.Should().BeTrue();
        Row(report, "front-proxy-client").Entry.ExternallyManaged.Should().BeTrue();
        Row(report, "apiserver").Entry.ExternallyManaged.Should().BeFalse();
        Row(report, "ca").Entry.ExternallyManaged.Should().BeFalse();
        report.HasErrors.Should().BeFalse();
    }

    [Theory]
    [InlineData("apiserver", "/etc/kubernetes/pki/apiserver.crt", "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n", "block is damaged")]
    [InlineData("etcd-peer", "/etc/kubernetes/pki/etcd/peer.crt", "garbage", "no PEM CERTIFICATE block")]
    [InlineData("etcd-peer", "/etc/kubernetes/pki/etcd/peer.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a valid X.509 certificate")]
    [InlineData("scheduler.conf", "/etc/kubernetes/scheduler.conf", "apiVersion: v1\nkind: Config\n", "current-context is not set")]
    [InlineData("admin.conf", "/etc/kubernetes/admin.conf", "users: [\n", "not valid YAML")]
    public async Task Should_mark_a_corrupt_file_as_an_error_naming_the_file(string name, string relative, string content, string reason)
    {
        // Given a corrupted file
        using var tree = PkiTree.Create(Now);
        File.WriteAllText(tree.Path(relative), content);

        // When checked: no exception
        var report = await CheckAsync(tree);

        // Then that row is an error whose message names the file and says why
        var row = Row(report, name);
        row.Entry.State.Should().Be(EntryState.Invalid);
        row.Status.Should().Be(CertificateStatus.Error);
        row.Problems.Should().ContainSingle().Which.Should().StartWith(tree.Path(relative) + ":").And.Contain(reason);
        report.Certificates.Where(r => r.Entry.Name != name).Should().OnlyContain(r => r.Status == CertificateStatus.Ok);
    }

    [Fact]
    public async Task Should_error_every_leaf_of_a_corrupt_ca()
    {
        // Given etcd/ca.crt corrupted
        using var tree = PkiTree.Create(Now);
        File.WriteAllText(tree.Layout.PkiDir + "/etcd/ca.crt", "oops");

        // Then the CA row and the four etcd-ca leaves are errors
        var report = await CheckAsync(tree);
        Row(report, "etcd-ca").Status.Should().Be(CertificateStatus.Error);
        report.Certificates.Where(r => r.Entry.CaName == "etcd-ca").Should().HaveCount(4)
            .And.OnlyContain(r => r.Status == CertificateStatus.Error && r.Entry.ChainError!.Contains("etcd/ca.crt is unreadable"));
    }

    [Fact]
    public async Task Should_report_a_missing_certificate_as_a_missing_row()
    {
        // Given apiserver-etcd-client deleted
        using var tree = PkiTree.Create(Now);
        File.Delete(tree.Layout.PkiDir + "/apiserver-etcd-client.crt");

        // Then a MISSING row (warning), like kubeadm's "!MISSING!"
        var report = await CheckAsync(tree);
        var row = Row(report, "apiserver-etcd-client");
        row.Entry.State.Should().Be(EntryState.Missing);
        row.Status.Should().Be(CertificateStatus.Warning);
        row.Expires.Should().BeEmpty();
        report.HasErrors.Should().BeFalse();
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(null, true)]
    [InlineData(true, false)]
    public async Task Should_note_when_kubelet_rotation_is_off(bool? rotate, bool expectNote)
    {
        // Given a kubelet config with rotateCertificates true/false/absent (absent means the default, false)
        using var tree = PkiTree.Create(Now);
        tree.WriteKubelet(rotate);

        // Then rotation off is a report-level warning
        var report = await CheckAsync(tree);
        report.KubeletRotation.Should().Be(rotate ?? false);
        (report.Notes.Count > 0).Should().Be(expectNote);
        report.KubeletCertificates.Should().OnlyContain(r => r.Status == CertificateStatus.Ok);
    }

    [Fact]
    public async Task Should_read_a_node_through_its_agent_like_a_local_directory()
    {
        // Given two nodes whose files live in a temp dir, read through ReadFile steps at the default kubeadm paths
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("scheduler.conf", notAfter: Now + TimeSpan.FromDays(3));
        using var other = PkiTree.Create(Now);
        other.WriteLeaf("apiserver", notAfter: Now - TimeSpan.FromHours(1));
        var agent = new TempDirNodeAgent("cp-1", tree.Root);
        var check = new CertificateExpiryCheck([new NodePkiFileStore(agent), new NodePkiFileStore(new TempDirNodeAgent("cp-2", other.Root))],
            new PkiLayout(), new ManualTimeProvider(Now));

        // When checked with the default layout (/etc/kubernetes/pki …): the agent sees those paths
        var local = await CheckAsync(tree);
        var (reports, summary) = await check.RunAsync();

        // Then the node's report equals the local one row for row, and the agent did the reading
        var viaNode = reports[0];
        viaNode.Location.Should().Be("node cp-1");
        viaNode.Certificates.Select(r => (r.Entry.Name, r.Expires, r.Status))
            .Should().Equal(local.Certificates.Select(r => (r.Entry.Name, r.Expires, r.Status)));
        agent.Steps.OfType<ReadFile>().Select(s => s.Path).Should().Contain("/etc/kubernetes/pki/apiserver.crt");
        Row(viaNode, "scheduler.conf").Status.Should().Be(CertificateStatus.Warning);
        // And the summary folds both nodes: cp-2's expired apiserver fails the check
        summary.Verdict.Should().Be(CheckVerdict.Fail);
        summary.Evidence.Should().Contain(e => e.StartsWith("node cp-1: scheduler.conf: expires in 3d"))
            .And.Contain(e => e.StartsWith("node cp-2: apiserver: expired"));
    }
}
