using System.Security.Cryptography.X509Certificates;
using Drydock.Common;
using Drydock.Pki;
using Drydock.Testing.Pki;
using Drydock.Tests.Nodes.Ssh;

namespace Drydock.Tests.Pki;

/// <summary>`certs renew --node N --transport ssh`: the renewer writing through the real SSH transport (sshd on 127.0.0.1).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CertificateRenewalOverSshTests(SshFixture ssh) : IClassFixture<SshFixture>
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RenewAt = Created + TimeSpan.FromDays(200);

    [Fact]
    public async Task Should_renew_a_certificate_on_a_node_over_ssh_with_a_backup_and_a_0600_key()
    {
        // Given a 200-day-old PKI tree on "cp-1", reached over ssh
        using var tree = PkiTree.Create(Created);
        var crt = tree.Layout.PkiDir + "/apiserver-kubelet-client.crt";
        var oldCertText = File.ReadAllText(crt);
        var key = tree.Layout.PkiDir + "/apiserver-kubelet-client.key";
        using var old = X509Certificate2.CreateFromPem(File.ReadAllText(crt));
        await using var agents = ssh.Factory();

        // When renewed through the node's agent
        var result = await new CertificateRenewer(new NodePkiFileStore(agents.For("cp-1")), tree.Layout, new ManualTimeProvider(RenewAt))
            .RenewAsync(CertificateRenewer.Resolve(["apiserver-kubelet-client"]), new RenewalOptions());

        // Then the file on the node is a new certificate for the same subject, valid a year from now, its key 0600,
        // and the old pair is kept next to it
        result.Outcomes.Should().ContainSingle().Which.Action.Should().Be(RenewalAction.Renewed);
        using var renewed = X509Certificate2.CreateFromPemFile(crt, key);
        renewed.Subject.Should().Be(old.Subject);
        renewed.SerialNumber.Should().NotBe(old.SerialNumber);
        renewed.NotAfter.ToUniversalTime().Should().Be((RenewAt + TimeSpan.FromDays(365)).UtcDateTime);
        File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText($"{crt}.20260917T120000Z.bak").Should().Be(oldCertText);
        result.PodsToRestart.Should().Equal("kube-apiserver");
    }
}
