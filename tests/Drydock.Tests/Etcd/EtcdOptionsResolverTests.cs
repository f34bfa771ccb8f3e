using Drydock.Common;
using Drydock.Etcd;

namespace Drydock.Tests.Etcd;

public sealed class EtcdOptionsResolverTests
{
    private static readonly HashSet<string> KubeadmFiles =
        [EtcdConstants.DefaultCaCert, EtcdConstants.DefaultCert, EtcdConstants.DefaultKey, "/tmp/ca.crt", "/tmp/c.crt", "/tmp/c.key", "/env/ca.crt"];

    private static EtcdOptions Resolve(EtcdOptionsInput input, Dictionary<string, string>? env = null, ISet<string>? files = null) =>
        EtcdOptionsResolver.Resolve(input, k => env is not null && env.TryGetValue(k, out var v) ? v : null, p => (files ?? KubeadmFiles).Contains(p));

    [Fact]
    public void Should_default_to_kubeadm_control_plane_files()
    {
        // Given no flags and no environment, on a kubeadm control-plane node
        // When resolving
        var o = Resolve(new EtcdOptionsInput());

        // Then it is kubeadm's local etcd with the healthcheck client certificate and etcdctl's timeouts
        o.Endpoints.Should().Equal(new Uri("https://127.0.0.1:2379"));
        (o.CaCertFile, o.CertFile, o.KeyFile).Should().Be((EtcdConstants.DefaultCaCert, EtcdConstants.DefaultCert, EtcdConstants.DefaultKey));
        (o.DialTimeout, o.CommandTimeout).Should().Be((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Should_fall_back_to_the_apiserver_etcd_client_pair()
    {
        // Given a node without the healthcheck-client pair
        var files = new HashSet<string> { EtcdConstants.DefaultCaCert, EtcdConstants.FallbackCert, EtcdConstants.FallbackKey };

        // When resolving
        var o = Resolve(new EtcdOptionsInput(), files: files);

        // Then the apiserver's etcd client certificate is used
        (o.CertFile, o.KeyFile).Should().Be((EtcdConstants.FallbackCert, EtcdConstants.FallbackKey));
    }

    [Fact]
    public void Should_let_flags_win_over_ETCDCTL_environment()
    {
        // Given both environment and flags
        var env = new Dictionary<string, string>
        {
            ["ETCDCTL_ENDPOINTS"] = "https://10.0.0.9:2379", ["ETCDCTL_CACERT"] = "/env/ca.crt",
            ["ETCDCTL_DIAL_TIMEOUT"] = "3s", ["ETCDCTL_COMMAND_TIMEOUT"] = "1m30s",
        };

        // When resolving with --endpoints given
        var o = Resolve(new EtcdOptionsInput { Endpoints = "https://127.0.0.1:32379" }, env);

        // Then the flag wins, and the rest comes from the environment
        o.Endpoints.Should().Equal(new Uri("https://127.0.0.1:32379"));
        o.CaCertFile.Should().Be("/env/ca.crt");
        (o.DialTimeout, o.CommandTimeout).Should().Be((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(90)));
    }

    [Theory]
    [InlineData("127.0.0.1:2379", null, "http://127.0.0.1:2379/")]
    [InlineData("127.0.0.1:2379", "/tmp/ca.crt", "https://127.0.0.1:2379/")]
    [InlineData("http://127.0.0.1:2379/", null, "http://127.0.0.1:2379/")]
    public void Should_pick_the_scheme_of_a_bare_endpoint_like_etcdctl(string endpoint, string? cacert, string expected)
    {
        // Given a host:port endpoint, with or without TLS material
        // When resolving
        var o = Resolve(new EtcdOptionsInput { Endpoints = endpoint, CaCert = cacert });

        // Then TLS is used only when TLS material was given
        o.Endpoints.Single().ToString().Should().Be(expected);
    }

    [Fact]
    public void Should_report_every_problem_in_one_usage_error()
    {
        // Given several bad inputs at once, off a control-plane node
        var input = new EtcdOptionsInput { Endpoints = "https://127.0.0.1:2379,ftp://x:1", Cert = "/tmp/c.crt", DialTimeout = "soon" };

        // When resolving
        var act = () => Resolve(input, files: new HashSet<string> { "/tmp/c.crt" });

        // Then one usage error names all of them
        act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>().Which.Message.Should().Be(
            "invalid endpoint \"ftp://x:1\" (want http(s)://HOST:PORT); "
            + "no CA certificate for the https endpoint: /etc/kubernetes/pki/etcd/ca.crt not found; pass --cacert (or set ETCDCTL_CACERT); "
            + "--cert given without --key: pass both; --dial-timeout \"soon\" is not a positive duration (e.g. 5s, 1m30s)");
    }

    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    public void Should_parse_go_durations(string text, int ms)
    {
        // Given a Go duration / When parsing / Then it has the expected length
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(ms));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("-1s")]
    [InlineData("1d")]
    public void Should_reject_malformed_or_negative_durations(string text) => GoDuration.TryParse(text, out _).Should().BeFalse();
}
