using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Config;
using Drydock.Tests.Kube.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Drydock.Tests.Kube.Auth;

/// <summary>Exec credential plugins as small scripts printing an ExecCredential, against a TLS server.</summary>
public sealed class ExecCredentialsTests : IDisposable
{
    private static readonly TestPki Pki = new();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A plugin that prints token "tok-N" on its N-th run, expiring at 01:00, and saves KUBERNETES_EXEC_INFO.</summary>
    private string Plugin() => _dir.Script("kube/bin/plugin.sh", """
        echo x >> "$STATE/runs"
        n=$(wc -l < "$STATE/runs" | tr -d ' ')
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/exec-info.json"
        printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"2026-01-01T01:00:00Z"}}\n' "$API" "$n"
        """);

    private string Kubeconfig(Uri server, string apiVersion, string command) => _dir.Write("kube/config", $"""
        current-context: ctx
        clusters:
        - name: c
          cluster: {"{"}server: '{server}', certificate-authority-data: {TempDir.B64(Pki.CaPem)}{"}"}
        users:
        - name: eks-user
          user:
            exec:
              apiVersion: {apiVersion}
              command: {command}
              args: [get-token, --cluster, c]
              env:
              - {"{"}name: STATE, value: '{_dir.Path}'{"}"}
              - {"{"}name: API, value: {apiVersion}{"}"}
              provideClusterInfo: true
              interactiveMode: IfAvailable
        contexts:
        - name: ctx
          context: {"{"}cluster: c, user: eks-user{"}"}
        """);

    private int Runs => File.Exists(Path.Combine(_dir.Path, "runs")) ? File.ReadAllLines(Path.Combine(_dir.Path, "runs")).Length : 0;

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task Should_use_the_plugins_token_and_cache_it_until_it_expires(string apiVersion)
    {
        // Given a server that accepts the plugin's tokens and a plugin referenced relative to the kubeconfig
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Json(200, """{"metadata":{"name":"cp-1"}}"""), Pki, requireClientCert: false);
        Plugin();
        var time = new ManualTimeProvider();
        using var client = KubeConnectionLoader.Load(Kubeconfig(server.Url, apiVersion, "./bin/plugin.sh"), null, _ => null, time).CreateClient(time);

        // When calling twice, then again after the credential expired
        await client.GetNodeAsync("cp-1");
        await client.GetNodeAsync("cp-1");
        time.AdvanceTo(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        await client.GetNodeAsync("cp-1");

        // Then the plugin ran once per credential, with the cluster info and interactive: false
        server.Authorizations.Should().Equal("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
        Runs.Should().Be(2);
        var info = File.ReadAllText(Path.Combine(_dir.Path, "exec-info.json"));
        info.Should().Contain($"\"apiVersion\":\"{apiVersion}\"").And.Contain($"\"server\":\"{server.Url}\"")
            .And.Contain("\"certificate-authority-data\"").And.Contain("\"interactive\":false");
    }

    [Fact]
    public async Task Should_run_the_plugin_again_once_after_a_401()
    {
        // Given a server that rejects the first token (revoked) and accepts the second
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Request.Headers.Authorization == "Bearer tok-2"
            ? ctx.Json(200, """{"metadata":{"name":"cp-1"}}""")
            : ctx.Json(401, TestResponses.StatusJson(401, "Unauthorized", "Unauthorized")), Pki, requireClientCert: false);
        Plugin();
        using var client = KubeConnectionLoader.Load(Kubeconfig(server.Url, "client.authentication.k8s.io/v1", "./bin/plugin.sh"), null, _ => null, TimeProvider.System).CreateClient();

        // When calling once
        await client.GetNodeAsync("cp-1");

        // Then the plugin ran twice and the request was retried with the fresh token
        Runs.Should().Be(2);
        server.Authorizations.Should().Equal("Bearer tok-1", "Bearer tok-2");
    }

    [Fact]
    public async Task Should_show_a_failing_plugins_stderr_and_no_token()
    {
        // Given a plugin that fails with a message on stderr
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Json(200, "{}"), Pki, requireClientCert: false);
        _dir.Script("kube/bin/fail.sh", "echo 'error: SSO session expired, run aws sso login' >&2\nexit 3\n");
        using var client = KubeConnectionLoader.Load(Kubeconfig(server.Url, "client.authentication.k8s.io/v1", "./bin/fail.sh"), null, _ => null, TimeProvider.System).CreateClient();

        // When calling
        var error = (await FluentActions.Awaiting(() => client.GetNodeAsync("cp-1")).Should().ThrowAsync<DrydockException>()).Which.Error;

        // Then the error names the plugin and user and quotes its stderr; nothing reached the server
        error.Should().BeOfType<OperationError>();
        error.Message.Should().Be($"exec credential plugin \"{_dir.Path}/kube/bin/fail.sh\" for user \"eks-user\" failed with exit code 3: error: SSO session expired, run aws sso login");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Should_name_a_missing_plugin_with_its_install_hint()
    {
        // Given a kubeconfig whose plugin is not installed
        await using var server = await TestApiServer.StartAsync(ctx => ctx.Json(200, "{}"), Pki, requireClientCert: false);
        var path = Kubeconfig(server.Url, "client.authentication.k8s.io/v1", "drydock-no-such-plugin");
        File.AppendAllText(path, "");
        using var client = KubeConnectionLoader.Load(path, null, _ => null, TimeProvider.System).CreateClient();

        // When calling / Then a usage error names the command
        var error = (await FluentActions.Awaiting(() => client.GetNodeAsync("cp-1")).Should().ThrowAsync<DrydockException>()).Which.Error;
        error.Should().BeOfType<UsageError>();
        error.Message.Should().StartWith("exec credential plugin \"drydock-no-such-plugin\" for user \"eks-user\" could not be started");
    }
}
