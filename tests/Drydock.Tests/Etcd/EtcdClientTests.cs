using Drydock.Common;
using Drydock.Etcd;
using Drydock.Tests.Etcd.Support;

namespace Drydock.Tests.Etcd;

[Collection(EtcdCollection.Name)]
public sealed class EtcdClientTests(EtcdFixture etcd)
{
    public static TheoryData<string> Transports => new() { "h2c", "tls" };

    private EtcdOptions Options(string transport) => transport == "tls" ? etcd.TlsOptions : etcd.PlainOptions;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Should_read_status_from_a_real_etcd(string transport)
    {
        // Given a running etcd 3.4
        await using var client = new EtcdClient(Options(transport), TimeProvider.System);

        // When Maintenance.Status is called
        var status = await client.StatusAsync();

        // Then it reports the server's version, a leader, and a database size
        status.Version.Should().StartWith("3.4.");
        status.IsLeader.Should().BeTrue("a single member leads itself");
        status.DbSize.Should().BeGreaterThan(0);
        status.Revision.Should().BeGreaterThan(EtcdFixture.UserKeys);
        status.Errors.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Should_count_keys_with_range(string transport)
    {
        // Given an etcd holding the fixture's keys
        await using var client = new EtcdClient(Options(transport), TimeProvider.System);

        // When counting the whole keyspace
        var count = await client.CountAllKeysAsync();

        // Then it sees them all
        count.Should().Be(EtcdFixture.UserKeys);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Should_list_members(string transport)
    {
        // Given a single-member etcd
        await using var client = new EtcdClient(Options(transport), TimeProvider.System);

        // When listing members
        var members = await client.MemberListAsync();

        // Then the one member carries its name and URLs
        var member = members.Should().ContainSingle().Subject;
        member.Name.Should().Be(transport == "tls" ? "tls" : "plain");
        member.ClientUrls.Should().ContainSingle().Which.Should().StartWith(transport == "tls" ? "https://127.0.0.1:" : "http://127.0.0.1:");
        member.PeerUrls.Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Should_surface_a_grpc_error_status_as_one_line(string transport)
    {
        // Given a Range with an empty key, which etcd refuses before sending any message (trailers-only on h2c, trailers on TLS)
        await using var client = new EtcdClient(Options(transport), TimeProvider.System);

        // When it is sent
        var act = () => client.CountAsync([], []);

        // Then the gRPC status and message come back as an EtcdError
        var ex = (await act.Should().ThrowAsync<DrydockException>()).Which;
        var error = ex.Error.Should().BeOfType<EtcdError>().Subject;
        error.GrpcStatus.Should().Be(3);
        error.Message.Should().Contain("key is not provided").And.NotContain("\n");
    }

    [Fact]
    public async Task Should_fail_clearly_when_the_CA_is_wrong()
    {
        // Given TLS options trusting a CA that did not sign the server's certificate
        await using var client = new EtcdClient(etcd.TlsOptions with { CaCertFile = etcd.Pki.OtherCaCert }, TimeProvider.System);

        // When calling Status
        var error = await ErrorOf(() => client.StatusAsync());

        // Then the error says the server certificate is not signed by that CA
        error.Should().Contain("TLS handshake").And.Contain("not signed by the CA in --cacert").And.Contain("other-ca.crt");
    }

    [Fact]
    public async Task Should_fail_clearly_without_a_client_certificate()
    {
        // Given TLS options without --cert/--key against an etcd with --client-cert-auth
        await using var client = new EtcdClient(etcd.TlsOptions with { CertFile = null, KeyFile = null }, TimeProvider.System);

        // When calling Status
        var error = await ErrorOf(() => client.StatusAsync());

        // Then the error points at the missing client certificate
        error.Should().Contain("pass --cert and --key");
    }

    [Fact]
    public async Task Should_fail_clearly_when_nothing_listens()
    {
        // Given an endpoint where no etcd runs
        var port = FreePorts.Take(1)[0];
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{port}")] }, TimeProvider.System);

        // When calling Status
        var error = await ErrorOf(() => client.StatusAsync());

        // Then the error names the endpoint and says the connection was refused
        error.Should().Be($"etcd at http://127.0.0.1:{port} is unreachable: connection refused (is etcd running? check --endpoints)");
    }

    [Fact]
    public async Task Should_fall_over_to_the_next_endpoint_for_unary_calls()
    {
        // Given a dead endpoint listed before a live one
        var port = FreePorts.Take(1)[0];
        var options = etcd.PlainOptions with { Endpoints = [new Uri($"http://127.0.0.1:{port}"), etcd.Plain.ClientUrl] };
        await using var client = new EtcdClient(options, TimeProvider.System);

        // When calling Status
        var status = await client.StatusAsync();

        // Then the live one answers
        status.Endpoint.Should().Be(etcd.Plain.ClientUrl);
    }

    [Fact]
    public async Task Should_time_out_on_a_server_that_never_answers()
    {
        // Given a TCP listener that accepts and then says nothing (a hung etcd)
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var clock = new ManualTimeProvider();
        await using var client = new EtcdClient(new EtcdOptions { Endpoints = [new Uri($"http://127.0.0.1:{port}")] }, clock);

        // When calling Status and the command timeout passes on the injected clock
        var call = client.StatusAsync();
        using (await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10)))
        {
            clock.Advance(EtcdConstants.DefaultCommandTimeout);
            var error = await ErrorOf(() => call.WaitAsync(TimeSpan.FromSeconds(10)));

            // Then it fails with the command timeout, without waiting in real time
            error.Should().Contain("did not answer").And.Contain("within 5s (--command-timeout)");
        }
    }

    private static async Task<string> ErrorOf(Func<Task> act)
    {
        var ex = (await act.Should().ThrowAsync<DrydockException>()).Which;
        ex.Error.Message.Should().NotContain("\n");
        return ex.Error.Message;
    }
}
