using Drydock.Common;
using Drydock.Nodes;
using Drydock.Pki;
using Drydock.Planning.Preflight;
using Drydock.Testing.Pki;
using Drydock.Tests.Pki;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>The certificates row over generated kubeadm PKI trees: local (--pki-dir) and every control-plane node through a node agent.</summary>
public sealed class CertificateExpiryPreflightCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Task<PreflightResult> CheckLocal(PkiTree tree, TimeSpan? horizon = null) =>
        new CertificateExpiryPreflightCheck([new LocalPkiFileStore()], null, tree.Layout, new ManualTimeProvider(Now), horizon ?? CertificateExpiryPreflightCheck.DefaultRenewalHorizon)
            .RunAsync(PreflightContexts.TwoControlPlanes()).AsTask();

    [Fact]
    public async Task Should_pass_on_a_healthy_tree()
    {
        // Given a kubeadm PKI valid for a year
        using var tree = PkiTree.Create(Now);

        // When checked
        var result = await CheckLocal(tree);

        // Then it passes, naming where it looked
        result.Status.Should().Be(PreflightStatus.Pass, string.Join("\n", result.Evidence));
        result.Summary.Should().Be("all certificates valid on 1 node(s) (local)");
    }

    [Theory]
    [InlineData(-24.0, PreflightStatus.Fail, "certificates are expired or broken")]
    [InlineData(24.0 * 10, PreflightStatus.Warn, "certificates need attention soon")]
    [InlineData(24.0 * 60, PreflightStatus.Pass, "all certificates valid")]
    public async Task Should_fail_on_expired_and_warn_within_30_days(double hoursLeft, PreflightStatus expected, string summary)
    {
        // Given the apiserver certificate with this much time left
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("apiserver", notAfter: Now + TimeSpan.FromHours(hoursLeft));

        // When checked
        var result = await CheckLocal(tree);

        // Then the verdict follows the 30-day rule, the evidence names the certificate, and the remedy says what kubeadm upgrade does not renew
        result.Status.Should().Be(expected);
        result.Summary.Should().StartWith(summary);
        if (expected == PreflightStatus.Pass) return;
        result.Evidence.Should().Contain(e => e.StartsWith("local: apiserver: "));
        result.Remedy.Should().Contain("drydock certs renew all").And.Contain(CertificateExpiryPreflightCheck.NotRenewedNote);
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(10, false)]
    public async Task Should_warn_when_a_certificate_expires_before_the_upgrade_renews_it(int horizonMinutes, bool flagged)
    {
        // Given the front-proxy-client certificate expiring in 30 minutes
        using var tree = PkiTree.Create(Now);
        tree.WriteLeaf("front-proxy-client", notAfter: Now + TimeSpan.FromMinutes(30));

        // When checked with an upgrade expected to renew certificates horizonMinutes from now
        var result = await CheckLocal(tree, TimeSpan.FromMinutes(horizonMinutes));

        // Then it warns either way (under 30 days); only a horizon past its expiry adds the issue-8 line
        result.Status.Should().Be(PreflightStatus.Warn);
        var line = result.Evidence.Where(e => e.Contains("before the upgrade would renew it")).ToList();
        if (flagged)
        {
            line.Should().ContainSingle().Which.Should().StartWith("local: front-proxy-client: expires ").And.Contain("--cert-renewal-horizon");
            result.Summary.Should().EndWith("; 1 expire before the upgrade would renew them");
        }
        else line.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_read_every_control_plane_node_through_its_agent()
    {
        // Given two control-plane nodes, cp-2's scheduler.conf client certificate expired
        using var cp1 = PkiTree.Create(Now);
        using var cp2 = PkiTree.Create(Now);
        cp2.WriteLeaf("scheduler.conf", notAfter: Now - TimeSpan.FromDays(1));
        var agents = new TreeAgents(new() { ["cp-1"] = cp1.Root, ["cp-2"] = cp2.Root });

        // When checked through the agents with kubeadm's default layout (each agent re-roots /etc/kubernetes)
        var result = await new CertificateExpiryPreflightCheck([], agents, new PkiLayout(), new ManualTimeProvider(Now), CertificateExpiryPreflightCheck.DefaultRenewalHorizon)
            .RunAsync(PreflightContexts.TwoControlPlanes());

        // Then both nodes were read and the failure names cp-2
        result.Status.Should().Be(PreflightStatus.Fail);
        result.Evidence.Should().Contain(e => e.StartsWith("node cp-2: scheduler.conf: ")).And.NotContain(e => e.StartsWith("node cp-1"));
    }

    private sealed class TreeAgents(Dictionary<string, string> roots) : INodeAgentFactory
    {
        public INodeAgent For(string nodeName) => new TempDirNodeAgent(nodeName, roots[nodeName]);
    }
}
