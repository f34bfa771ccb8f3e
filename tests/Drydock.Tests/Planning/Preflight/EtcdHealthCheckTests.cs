using Drydock.Etcd;
using Drydock.Planning.Preflight;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>The etcd-health row against the real etcd 3.4 of the etcd collection (plain and TLS), and a dead endpoint.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdHealthCheckTests(EtcdFixture etcd)
{
    [Theory]
    [InlineData("h2c")]
    [InlineData("tls")]
    public async Task Should_pass_when_every_endpoint_answers_with_a_leader(string transport)
    {
        // Given a running single-member etcd
        await using var client = new EtcdClient(transport == "tls" ? etcd.TlsOptions : etcd.PlainOptions, TimeProvider.System);

        // When the plan's etcd check runs
        var result = await new EtcdHealthCheck(client).RunAsync(PreflightContexts.TwoControlPlanes());

        // Then it passes, naming the endpoint, version, role and database size
        result.Status.Should().Be(PreflightStatus.Pass, string.Join("\n", result.Evidence));
        result.Summary.Should().Contain("1 etcd endpoint(s) healthy");
        var endpoint = (transport == "tls" ? etcd.Tls : etcd.Plain).ClientUrl.ToString();
        result.Evidence.Should().Contain(e => e.StartsWith(endpoint) && e.Contains("etcd 3.4.") && e.Contains("leader") && e.Contains("of quota"));
        result.Evidence.Should().Contain(e => e.StartsWith("1 member(s):"));
    }

    [Fact]
    public async Task Should_fail_with_one_clear_line_when_an_endpoint_is_dead()
    {
        // Given the live etcd and a loopback port nobody listens on
        var dead = new Uri($"http://127.0.0.1:{FreePorts.Take(1)[0]}");
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [etcd.Plain.ClientUrl, dead] }, TimeProvider.System);

        // When checked
        var result = await new EtcdHealthCheck(client).RunAsync(PreflightContexts.TwoControlPlanes());

        // Then it fails; exactly one evidence line names the dead endpoint and the cause, the live one is still described
        result.Status.Should().Be(PreflightStatus.Fail);
        result.Summary.Should().Be("1 of 2 etcd endpoint(s) unreachable");
        var lines = result.Evidence.Where(e => e.Contains(dead.Authority)).ToList();
        lines.Should().ContainSingle().Which.Should().Contain("unreachable").And.Contain("connection refused").And.NotContain("\n");
        result.Evidence.Should().Contain(e => e.StartsWith(etcd.Plain.ClientUrl.ToString()) && e.Contains("leader"));
        result.Remedy.Should().Contain("--etcd-endpoints");
    }

    [Fact]
    public async Task Should_report_a_skipped_row_when_no_endpoint_is_configured()
    {
        // Given no etcd client (no --etcd-endpoints, no ETCDCTL_ENDPOINTS)
        // When checked
        var result = await new EtcdHealthCheck(null).RunAsync(PreflightContexts.TwoControlPlanes());

        // Then the row never blocks and says how to configure it
        result.Status.Should().Be(PreflightStatus.Pass);
        result.Summary.Should().StartWith("skipped: no etcd endpoints given").And.Contain("ssh -L 2379:127.0.0.1:2379 NODE");
    }
}
