using Drydock.Common;
using Drydock.Planning.Preflight;
using Drydock.Testing.Pki;
using Drydock.Tests.Nodes.Ssh;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>The certificates row reading every control-plane node through the real SSH transport (sshd on 127.0.0.1).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertificateExpiryOverSshTests(SshFixture ssh) : IClassFixture<SshFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_read_each_control_plane_node_over_ssh()
    {
        // Given a PKI tree whose etcd-server certificate expires in 5 days, reachable as cp-1 and cp-2 over ssh
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("etcd-server", notAfter: Now + TimeSpan.FromDays(5));
        await using var agents = ssh.Factory();

        // When the plan's certificate check runs over the snapshot's two control-plane nodes
        var result = await new CertificateExpiryPreflightCheck([], agents, tree.Layout, new ManualTimeProvider(Now), CertificateExpiryPreflightCheck.DefaultRenewalHorizon)
            .RunAsync(PreflightContexts.TwoControlPlanes());

        // Then both nodes were read through their agents and each reports the expiring certificate
        result.Status.Should().Be(PreflightStatus.Warn, string.Join("\n", result.Evidence));
        result.Evidence.Should().Contain(e => e.StartsWith("node cp-1: etcd-server: ")).And.Contain(e => e.StartsWith("node cp-2: etcd-server: "));
    }
}
