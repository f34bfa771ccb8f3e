using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Drydock.Common;
using Drydock.Nodes;
using Drydock.Pki;
using Drydock.Testing.Pki;

namespace Drydock.Tests.Pki;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CertificateRenewerTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RenewAt = Created + TimeSpan.FromDays(200);

    private static CertificateRenewer Renewer(PkiTree tree, IPkiFileStore? store = null, PkiLayout? layout = null) =>
        new(store ?? new LocalPkiFileStore(), layout ?? tree.Layout, new ManualTimeProvider(RenewAt));

    private static X509Certificate2 LoadCert(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    private static string Ext(X509Certificate2 c, string oid) => Convert.ToHexString(c.Extensions[oid]!.RawData);

    [Fact]
    public async Task Should_reissue_a_pki_file_keeping_identity_with_new_key_serial_and_dates()
    {
        // Given a tree whose apiserver cert is 200 days old
        using var tree = PkiTree.Create(Created);
        var crt = tree.Layout.PkiDir + "/apiserver.crt";
        var key = tree.Layout.PkiDir + "/apiserver.key";
        var oldCertText = File.ReadAllText(crt);
        var oldKeyText = File.ReadAllText(key);
        using var old = LoadCert(crt);

        // When renewed
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["apiserver"]), new RenewalOptions());

        // Then: kubeadm's message, same subject/SANs/usages, new serial and key, kubeadm's dates, chains to ca
        var outcome = result.Outcomes.Should().ContainSingle().Subject;
        outcome.Action.Should().Be(RenewalAction.Renewed);
        outcome.Message.Should().Be("certificate for serving the Kubernetes API renewed");
        using var renewed = LoadCert(crt);
        renewed.Subject.Should().Be(old.Subject);
        Ext(renewed, "2.5.29.17").Should().Be(Ext(old, "2.5.29.17"));
        Ext(renewed, "2.5.29.37").Should().Be(Ext(old, "2.5.29.37"));
        Ext(renewed, "2.5.29.15").Should().Be(Ext(old, "2.5.29.15"));
        renewed.SerialNumber.Should().NotBe(old.SerialNumber);
        renewed.PublicKey.EncodedKeyValue.RawData.Should().NotEqual(old.PublicKey.EncodedKeyValue.RawData);
        renewed.NotBefore.ToUniversalTime().Should().Be((RenewAt - TimeSpan.FromMinutes(5)).UtcDateTime);
        renewed.NotAfter.ToUniversalTime().Should().Be((RenewAt + TimeSpan.FromDays(365)).UtcDateTime);
        renewed.GetRSAPublicKey()!.KeySize.Should().Be(2048);
        File.ReadAllText(key).Should().StartWith("-----BEGIN RSA PRIVATE KEY-----");
        using var pair = X509Certificate2.CreateFromPemFile(crt, key); // the new key matches the new cert
        pair.HasPrivateKey.Should().BeTrue();

        var snapshot = await PkiSnapshotReader.ReadAsync(new LocalPkiFileStore(), tree.Layout);
        var inventory = CertificateInventory.Build(snapshot);
        inventory.Certificates.Single(c => c.Name == "apiserver").ChainError.Should().BeNull();

        // And the old files are backed up next to them; the key is 0600 and the cert 0644
        var stamp = "20260917T120000Z";
        outcome.Backups.Should().Equal($"{crt}.{stamp}.bak", $"{key}.{stamp}.bak");
        File.ReadAllText($"{crt}.{stamp}.bak").Should().Be(oldCertText);
        File.ReadAllText($"{key}.{stamp}.bak").Should().Be(oldKeyText);
        File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(crt).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Directory.GetFiles(tree.Layout.PkiDir, "*.drydock-tmp", SearchOption.AllDirectories).Should().BeEmpty();
        result.PodsToRestart.Should().Equal("kube-apiserver");
    }

    [Fact]
    public async Task Should_show_new_dates_and_same_sans_in_openssl()
    {
        // Given a renewed etcd-server certificate
        using var tree = PkiTree.Create(Created);
        await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["etcd-server"]), new RenewalOptions());

        // When openssl prints it
        var psi = new ProcessStartInfo("openssl", ["x509", "-noout", "-text", "-in", tree.Layout.PkiDir + "/etcd/server.crt"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        (await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).ContinueWith(_ => p.ExitCode)).Should().Be(0);

        // Then the new validity and the same SANs, usages and issuer
        text.Should().Contain("Not Before: Sep 17 11:55:00 2026 GMT").And.Contain("Not After : Sep 17 12:00:00 2027 GMT");
        text.Should().Contain("DNS:cp-1, DNS:localhost, IP Address:192.168.1.11, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
        text.Should().Contain("TLS Web Server Authentication, TLS Web Client Authentication");
        text.Should().Contain("Issuer: CN = etcd-ca").And.Contain("Subject: CN = cp-1").And.Contain("CA:FALSE");
    }

    [Fact]
    public async Task Should_keep_an_ec_key_as_ec()
    {
        // Given a front-proxy-client with a P-256 key
        using var tree = PkiTree.Create(Created);
        tree.WriteLeaf("front-proxy-client", ec: true);

        // When renewed
        await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["front-proxy-client"]), new RenewalOptions());

        // Then the new key is SEC1 EC on the same curve
        File.ReadAllText(tree.Layout.PkiDir + "/front-proxy-client.key").Should().StartWith("-----BEGIN EC PRIVATE KEY-----");
        using var renewed = LoadCert(tree.Layout.PkiDir + "/front-proxy-client.crt");
        renewed.GetECDsaPublicKey()!.ExportParameters(false).Curve.Oid.Value.Should().Be("1.2.840.10045.3.1.7", "P-256 as before");
    }

    [Fact]
    public async Task Should_cap_validity_at_the_ca_expiry()
    {
        // Given a CA that expires in 100 days (after the renewal moment)
        using var tree = PkiTree.Create(Created);
        tree.WriteCa("ca", notAfter: RenewAt + TimeSpan.FromDays(100));
        tree.WriteLeaf("apiserver-kubelet-client", notAfter: RenewAt + TimeSpan.FromDays(50));

        // When renewed for the default year
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["apiserver-kubelet-client"]), new RenewalOptions());

        // Then it ends with the CA, not after it
        result.Outcomes[0].NotAfter.Should().Be(RenewAt + TimeSpan.FromDays(100));
    }

    [Fact]
    public async Task Should_renew_a_kubeconfig_keeping_everything_but_the_client_credentials()
    {
        // Given admin.conf
        using var tree = PkiTree.Create(Created);
        var path = tree.Layout.KubeconfigDir + "/admin.conf";
        var before = KubeconfigFile.Read(File.ReadAllText(path), path);

        // When renewed
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["admin.conf"]), new RenewalOptions());

        // Then the user's cert and key changed, and server, contexts, cluster CA and preferences stayed
        result.Outcomes[0].Action.Should().Be(RenewalAction.Renewed);
        var text = File.ReadAllText(path);
        var after = KubeconfigFile.Read(text, path);
        after.UserName.Should().Be("kubernetes-admin");
        after.CertificatePem.Should().NotBe(before.CertificatePem);
        after.KeyPem.Should().NotBe(before.KeyPem).And.StartWith("-----BEGIN RSA PRIVATE KEY-----");
        after.ClusterCaPem.Should().Be(before.ClusterCaPem);
        text.Should().Contain("server: https://192.168.1.10:6443").And.Contain("current-context: kubernetes-admin@kubernetes")
            .And.Contain("preferences: {}").And.Contain("kind: Config").And.NotContain("...");
        using var cert = X509Certificate2.CreateFromPem(after.CertificatePem);
        cert.Subject.Should().Be("CN=kubernetes-admin, O=kubeadm:cluster-admins");
        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(result.Outcomes[0].Backups.Single()).Should().BeTrue();
        result.PodsToRestart.Should().BeEmpty();
        var inventory = CertificateInventory.Build(await PkiSnapshotReader.ReadAsync(new LocalPkiFileStore(), tree.Layout));
        inventory.Certificates.Single(c => c.Name == "admin.conf").ChainError.Should().BeNull();
    }

    [Fact]
    public async Task Should_refuse_certificates_of_an_external_ca_with_kubeadm_message()
    {
        // Given the etcd CA key removed
        using var tree = PkiTree.Create(Created, ecLeaves: true);
        File.Delete(tree.Layout.PkiDir + "/etcd/ca.key");
        var before = File.ReadAllText(tree.Layout.PkiDir + "/etcd/peer.crt");

        // When all certificates are renewed
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["all"]), new RenewalOptions());

        // Then the etcd-ca leaves are refused as kubeadm words it, untouched, and the rest renewed
        result.Outcomes.Single(o => o.Name == "etcd-peer").Message.Should().Be("Detected external etcd/ca, certificate for etcd nodes to communicate with each other can't be renewed");
        result.Outcomes.Where(o => o.Action == RenewalAction.ExternalCa).Select(o => o.Name)
            .Should().BeEquivalentTo("apiserver-etcd-client", "etcd-healthcheck-client", "etcd-peer", "etcd-server");
        result.Outcomes.Where(o => o.Action == RenewalAction.Renewed).Should().HaveCount(6);
        File.ReadAllText(tree.Layout.PkiDir + "/etcd/peer.crt").Should().Be(before);
        result.PodsToRestart.Should().Equal("kube-apiserver", "kube-controller-manager", "kube-scheduler");
    }

    [Fact]
    public async Task Should_write_nothing_in_a_dry_run()
    {
        // Given a tree and a listing of every file with its content
        using var tree = PkiTree.Create(Created, ecLeaves: true);
        string Listing() => string.Join("\n", Directory.GetFiles(tree.Root, "*", SearchOption.AllDirectories).Order().Select(f => f + File.ReadAllText(f)));
        var before = Listing();

        // When all are renewed with --dry-run
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["all"]), new RenewalOptions { DryRun = true });

        // Then every certificate says what would happen, and no file changed or appeared
        result.Outcomes.Where(o => o.Action != RenewalAction.Skipped).Should().HaveCount(10)
            .And.OnlyContain(o => o.Action == RenewalAction.WouldRenew && o.Message.StartsWith("[dry-run] would renew"));
        result.Outcomes.Single(o => o.Action == RenewalAction.Skipped).Name.Should().Be("super-admin.conf");
        result.PodsToRestart.Should().Equal("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
        Listing().Should().Be(before);
    }

    [Fact]
    public async Task Should_report_missing_and_corrupt_certificates_without_stopping()
    {
        // Given scheduler.conf missing and apiserver.crt corrupt
        using var tree = PkiTree.Create(Created, ecLeaves: true);
        File.Delete(tree.Layout.KubeconfigDir + "/scheduler.conf");
        File.WriteAllText(tree.Layout.PkiDir + "/apiserver.crt", "garbage");

        // When all are renewed
        var result = await Renewer(tree).RenewAsync(CertificateRenewer.Resolve(["all"]), new RenewalOptions());

        // Then kubeadm's MISSING! line, a failure naming the file, and the rest renewed
        result.Outcomes.Single(o => o.Name == "scheduler.conf").Message.Should().Be("MISSING! certificate embedded in the kubeconfig file for the scheduler manager to use");
        var failed = result.Outcomes.Single(o => o.Name == "apiserver");
        failed.Action.Should().Be(RenewalAction.Failed);
        failed.Message.Should().Contain(tree.Layout.PkiDir + "/apiserver.crt");
        result.AnyFailed.Should().BeTrue();
        result.Outcomes.Count(o => o.Action == RenewalAction.Renewed).Should().Be(8);
    }

    [Fact]
    public void Should_reject_unknown_names_and_cas()
    {
        // When asked to renew a CA or a typo / Then a usage error listing what can be renewed
        var act = () => CertificateRenewer.Resolve(["ca", "apiserver"]);
        act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>()
            .Which.Message.Should().Contain("unknown certificate \"ca\"").And.Contain("CAs are never renewed").And.Contain("front-proxy-client");
    }

    [Fact]
    public async Task Should_renew_on_a_node_through_its_agent()
    {
        // Given a node read and written through its agent at the default kubeadm paths
        using var tree = PkiTree.Create(Created);
        var agent = new TempDirNodeAgent("cp-1", tree.Root);
        var renewer = new CertificateRenewer(new NodePkiFileStore(agent), new PkiLayout(), new ManualTimeProvider(RenewAt));

        // When apiserver-etcd-client is renewed
        var result = await renewer.RenewAsync(CertificateRenewer.Resolve(["apiserver-etcd-client"]), new RenewalOptions());

        // Then the agent wrote the key 0600 and backed up with cp -p; the file on the "node" chains to etcd-ca
        result.Outcomes[0].Action.Should().Be(RenewalAction.Renewed);
        agent.Steps.OfType<WriteFile>().Should().Contain(w => w.Path == "/etc/kubernetes/pki/apiserver-etcd-client.key" && w.Mode == 0x180);
        agent.Steps.OfType<RunCommand>().Should().Contain(r => r.Command.StartsWith("cp -p -- '/etc/kubernetes/pki/apiserver-etcd-client.crt'"));
        File.GetUnixFileMode(tree.Layout.PkiDir + "/apiserver-etcd-client.key").Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Exists(tree.Layout.PkiDir + "/apiserver-etcd-client.crt.20260917T120000Z.bak").Should().BeTrue();
        var inventory = CertificateInventory.Build(await PkiSnapshotReader.ReadAsync(new LocalPkiFileStore(), tree.Layout));
        var entry = inventory.Certificates.Single(c => c.Name == "apiserver-etcd-client");
        entry.ChainError.Should().BeNull();
        entry.NotAfter.Should().Be(RenewAt + TimeSpan.FromDays(365));
    }
}
