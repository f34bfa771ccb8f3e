using Drydock.Kube.Config;

namespace Drydock.Tests.Kube.Config;

public sealed class KubeconfigParserTests
{
    private const string Full = """
        apiVersion: v1
        kind: Config
        current-context: admin@prod
        clusters:
        - name: prod
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority: pki/ca.crt
            tls-server-name: kubernetes
            insecure-skip-tls-verify: false
        - name: prod
          cluster:
            server: https://duplicate-ignored
        users:
        - name: admin
          user:
            client-certificate: /abs/admin.crt
            client-key: admin.key
            tokenFile: ./token
        - name: eks
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: ./bin/aws-iam
              args: [token, -i, prod]
              env:
              - name: AWS_PROFILE
                value: prod
              provideClusterInfo: true
              interactiveMode: Never
        contexts:
        - name: admin@prod
          context: {cluster: prod, user: admin, namespace: ops}
        """;

    [Fact]
    public void Should_read_every_field_and_resolve_relative_paths_against_the_files_folder()
    {
        // Given a kubeconfig in /etc/drydock with relative certificate, key, token and plugin paths
        // When parsing it
        var config = KubeconfigParser.Parse(new StringReader(Full), "/etc/drydock/config", "/etc/drydock");

        // Then every field is read, relative paths are absolute, and the first entry of a name wins
        config.CurrentContext.Should().Be("admin@prod");
        config.Clusters["prod"].Should().BeEquivalentTo(new KubeconfigCluster
        {
            Server = "https://10.0.0.1:6443", CertificateAuthority = "/etc/drydock/pki/ca.crt", TlsServerName = "kubernetes",
            DefinedIn = "/etc/drydock/config",
        });
        var admin = config.Users["admin"];
        (admin.ClientCertificate, admin.ClientKey, admin.TokenFile).Should().Be(("/abs/admin.crt", "/etc/drydock/admin.key", "/etc/drydock/token"));
        var exec = config.Users["eks"].Exec!;
        exec.Command.Should().Be("/etc/drydock/bin/aws-iam");
        exec.Args.Should().Equal("token", "-i", "prod");
        exec.Env.Should().BeEquivalentTo([new KeyValuePair<string, string>("AWS_PROFILE", "prod")]);
        (exec.ApiVersion, exec.ProvideClusterInfo, exec.InteractiveMode).Should().Be(("client.authentication.k8s.io/v1beta1", true, "Never"));
        config.Contexts["admin@prod"].Should().Be(new KubeconfigContext { Cluster = "prod", User = "admin", Namespace = "ops" });
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: []\n", 0)]
    [InlineData("clusters:\n- name: a\n  cluster: {server: 'https://a'}\n", 1)]
    public void Should_accept_empty_and_minimal_files(string yaml, int clusters)
    {
        // Given an empty or minimal kubeconfig / When parsing / Then it has no current context and the clusters it names
        var config = KubeconfigParser.Parse(new StringReader(yaml), "f");
        config.CurrentContext.Should().BeNull();
        config.Clusters.Should().HaveCount(clusters);
    }

    [Fact]
    public void Should_never_print_secrets_in_ToString()
    {
        // Given a user with a token, a password and an exec plugin with a secret env value and argument
        var config = KubeconfigParser.Parse(new StringReader("""
            users:
            - name: u
              user:
                token: sekret-token
                username: bob
                password: sekret-pass
                client-key-data: c2VrcmV0LWtleQ==
                exec: {apiVersion: client.authentication.k8s.io/v1, command: plug, args: [--token, sekret-arg], env: [{name: API_KEY, value: sekret-env}]}
            """), "f");

        // When printing the records
        var text = config.Users["u"] + " " + config.Users["u"].Exec + " " + config;

        // Then no secret appears, only which kinds of credentials exist
        text.Should().NotContainAny("sekret", "c2VrcmV0");
        text.Should().Contain("token").And.Contain("exec plug").And.Contain("API_KEY");
    }
}
