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
    public async Task Should_read_a_control_plane_node_over_ssh()
    {
        // Given a PKI tree whose etcd-server certificate expires in 5 days, reachable as cp-1 over ssh (the per-node fan-out is covered in CertificateExpiryPreflightCheckTests)
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("etcd-server", notAfter: Now + TimeSpan.FromDays(5));
        await using var agents = ssh.Factory();

        // When the plan's certificate check runs over the snapshot's control-plane node
        var result = await new CertificateExpiryPreflightCheck([], agents, tree.Layout, new ManualTimeProvider(Now), CertificateExpiryPreflightCheck.DefaultRenewalHorizon)
            .RunAsync(PreflightContexts.OneControlPlane());

        // Then the node was read through its agent and reports the expiring certificate, and nothing else
        result.Status.Should().Be(PreflightStatus.Warn, string.Join("\n", result.Evidence));
        result.Evidence.Should().ContainSingle().Which.Should().StartWith("node cp-1: etcd-server: ");
    }
}
