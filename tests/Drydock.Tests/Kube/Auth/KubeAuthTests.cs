using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Auth;
using Drydock.Kube.Config;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Auth;

/// <summary>Every way a kubeconfig can authenticate, against a real TLS server that checks it.</summary>
public sealed class KubeAuthTests : IDisposable
{
    private const string NodeJson = """{"kind":"Node","apiVersion":"v1","metadata":{"name":"cp-1"}}""";
    private static readonly TestPki Pki = new();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A server that requires our client certificate, or (tokens) accepts only the given Authorization values.</summary>
    private static Task<TestApiServer> ServerAsync(Func<string?, bool>? authorizationOk = null) =>
        TestApiServer.StartAsync(ctx =>
        {
            if (authorizationOk is not null && !authorizationOk(ctx.Request.Headers.Authorization.ToString()))
                return ctx.Json(401, TestResponses.StatusJson(401, "Unauthorized", "Unauthorized"));
            return ctx.Json(200, NodeJson);
        }, Pki, requireClientCert: authorizationOk is null);

    private string Kubeconfig(Uri server, string clusterExtra, string user) => _dir.Write("kube/config", $"""
        apiVersion: v1
        kind: Config
        current-context: ctx
        clusters:
        - name: c
          cluster:
            server: {server}
        {clusterExtra}
        users:
        - name: u
          user:
        {user}
        contexts:
        - name: ctx
          context: {"{"}cluster: c, user: u{"}"}
        """);

    private KubeConnection Load(string path, TimeProvider? time = null) => KubeConnectionLoader.Load(path, null, _ => null, time ?? TimeProvider.System);

    [Fact]
    public async Task Should_authenticate_with_client_certificate_files_and_a_relative_ca_file()
    {
        // Given a TLS server that requires a client certificate from our CA, and PEM files next to the kubeconfig
        await using var server = await ServerAsync();
        _dir.Write("kube/pki/ca.crt", Pki.CaPem);
        _dir.Write("kube/pki/admin.crt", Pki.ClientCertPem);
        _dir.Write("kube/pki/admin.key", Pki.ClientKeyPem);
        var path = Kubeconfig(server.Url, "    certificate-authority: pki/ca.crt", "    client-certificate: pki/admin.crt\n    client-key: pki/admin.key");

        // When getting a node
        using var client = Load(path).CreateClient();
        var node = await client.GetNodeAsync("cp-1");

        // Then the server saw the RSA admin certificate
        node.Metadata.Name.Should().Be("cp-1");
        server.ClientCertificates.Should().Equal("kubernetes-admin");
    }

    [Fact]
    public async Task Should_authenticate_with_inline_EC_certificate_data()
    {
        // Given the CA, an EC client certificate and its key inline as base64 -data fields
        await using var server = await ServerAsync();
        var path = Kubeconfig(server.Url, $"    certificate-authority-data: {TempDir.B64(Pki.CaPem)}",
            $"    client-certificate-data: {TempDir.B64(Pki.EcClientCertPem)}\n    client-key-data: {TempDir.B64(Pki.EcClientKeyPem)}");

        // When getting a node
        using var client = Load(path).CreateClient();
        await client.GetNodeAsync("cp-1");

        // Then the server saw the EC certificate
        server.ClientCertificates.Should().Equal("ec-admin");
    }

    [Theory]
    [InlineData("    tls-server-name: kubernetes.default.svc", true)]
    [InlineData("    tls-server-name: wrong.example", false)]
    [InlineData("    insecure-skip-tls-verify: true", true)]
    [InlineData("", false)]
    public async Task Should_verify_the_server_as_configured(string clusterExtra, bool connects)
    {
        // Given a server whose certificate is for 127.0.0.1/localhost/kubernetes.default.svc from a CA the system does not trust
        await using var server = await ServerAsync(_ => true);
        var ca = clusterExtra.Contains("insecure") || clusterExtra.Length == 0 ? "" : $"\n    certificate-authority-data: {TempDir.B64(Pki.CaPem)}";
        var path = Kubeconfig(server.Url, clusterExtra + ca, "    token: t");

        // When connecting
        var time = new ManualTimeProvider();
        using var client = Load(path, time).CreateClient(time);
        var act = () => client.GetNodeAsync("cp-1").WaitAsync(TimeSpan.FromSeconds(10));

        // Then only a matching name (or skipping verification) connects; otherwise a code-0 error names the server,
        // at once: a rejected certificate is not retried (the manual clock never moves, so a back-off would hang)
        if (connects) await act.Should().NotThrowAsync();
        else (await act.Should().ThrowAsync<KubeApiException>()).Which.Message.Should().StartWith($"cannot reach the Kubernetes API server at {server.Url}");
    }

    [Fact]
    public async Task Should_send_a_bearer_token_and_basic_auth()
    {
        // Given a server that accepts one token and one user/password pair
        await using var server = await ServerAsync(h => h is "Bearer abc.def" or "Basic Ym9iOnMzY3JldA==");
        var ca = $"    certificate-authority-data: {TempDir.B64(Pki.CaPem)}";

        // When calling with each
        using (var client = Load(Kubeconfig(server.Url, ca, "    token: abc.def")).CreateClient()) await client.GetNodeAsync("cp-1");
        using (var client = Load(Kubeconfig(server.Url, ca, "    username: bob\n    password: s3cret")).CreateClient()) await client.GetNodeAsync("cp-1");

        // Then both were accepted, and the connection's description has no secret
        server.Requests.Should().HaveCount(2);
        Load(Kubeconfig(server.Url, ca, "    token: abc.def")).ToString().Should().NotContain("abc.def");
    }

    [Fact]
    public async Task Should_reread_a_rotated_token_file_after_a_401_and_after_a_minute()
    {
        // Given a token file holding t1 and a server that accepts t1
        var accepted = "Bearer t1";
        await using var server = await ServerAsync(h => h == accepted);
        var tokenFile = _dir.Write("kube/token", "t1\n");
        var time = new ManualTimeProvider();
        using var client = Load(Kubeconfig(server.Url, $"    certificate-authority-data: {TempDir.B64(Pki.CaPem)}", "    tokenFile: token"), time).CreateClient(time);
        await client.GetNodeAsync("cp-1");

        // When the token rotates to t2 (the server accepts only t2) and we call again
        File.WriteAllText(tokenFile, "t2");
        accepted = "Bearer t2";
        await client.GetNodeAsync("cp-1");

        // Then the 401 made the client re-read the file and retry once
        server.Authorizations.Should().Equal("Bearer t1", "Bearer t1", "Bearer t2");

        // And after a minute a rotation is picked up without a 401
        File.WriteAllText(tokenFile, "t3");
        accepted = "Bearer t3";
        time.Advance(TokenFileCredentials.RereadAfter);
        await client.GetNodeAsync("cp-1");
        server.Authorizations.Last().Should().Be("Bearer t3");
    }

    [Fact]
    public async Task Should_load_in_cluster_config_from_the_service_account_folder()
    {
        // Given KUBERNETES_SERVICE_HOST/PORT and a service-account folder with token, ca.crt and namespace
        await using var server = await ServerAsync(h => h == "Bearer sa-token");
        var sa = Path.Combine(_dir.Path, "sa");
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/ca.crt", Pki.CaPem);
        _dir.Write("sa/namespace", "kube-system");
        var env = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = server.Url.Port.ToString(), ["HOME"] = _dir.Path };

        // When loading with no kubeconfig anywhere
        var connection = KubeConnectionLoader.Load(null, null, k => env.GetValueOrDefault(k), TimeProvider.System, sa);
        using var client = connection.CreateClient();
        await client.GetNodeAsync("cp-1");

        // Then the service account's identity, CA and namespace are used
        (connection.ContextName, connection.Namespace).Should().Be(("in-cluster", "kube-system"));
        server.Requests.Should().ContainSingle();
    }
}
