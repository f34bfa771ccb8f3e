using System.Text.Json;
using Drydock.Cli.Tests.Infrastructure;

namespace Drydock.Cli.Tests.Kube;

public sealed class VersionCommandTests
{
    private const string ServerVersion = """{"major":"1","minor":"27","gitVersion":"v1.27.16","gitCommit":"cc0a24d2","gitTreeState":"clean","buildDate":"2024-07-17T01:44:26Z","goVersion":"go1.22.5","compiler":"gc","platform":"linux/amd64"}""";

    private static Task<KubeTestServer> ServerAsync() => KubeTestServer.StartAsync(ctx => ctx.Request.Path == "/version"
        ? ctx.Json(200, ServerVersion)
        : ctx.Json(404, "{}"));

    [Fact]
    public async Task Should_print_client_and_server_versions()
    {
        // Given a server and a kubeconfig for it
        await using var server = await ServerAsync();
        var cli = new CliHarness();

        // When running drydock version
        var result = await cli.RunAsync("version", "--kubeconfig", server.Kubeconfig());

        // Then both versions are printed as kubectl does
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Be("Client Version: v0.1.0\nServer Version: v1.27.16\n");
        server.Requests.Should().Equal("GET /version");
    }

    [Fact]
    public async Task Should_print_json_with_client_and_server_objects()
    {
        // Given a server, with the kubeconfig found through $KUBECONFIG
        await using var server = await ServerAsync();
        var cli = new CliHarness();
        cli.Env["KUBECONFIG"] = server.Kubeconfig();

        // When running drydock version -o json
        var result = await cli.RunAsync("version", "-o", "json");

        // Then stdout is one JSON document with clientVersion and the server's /version
        result.ExitCode.Should().Be(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.GetProperty("clientVersion").GetProperty("gitVersion").GetString().Should().Be("v0.1.0");
        doc.RootElement.GetProperty("serverVersion").GetProperty("gitVersion").GetString().Should().Be("v1.27.16");
        doc.RootElement.GetProperty("serverVersion").GetProperty("platform").GetString().Should().Be("linux/amd64");
    }

    [Fact]
    public async Task Should_print_yaml()
    {
        // Given a server
        await using var server = await ServerAsync();

        // When running drydock version -o yaml
        var result = await new CliHarness().RunAsync("version", "-o", "yaml", "--kubeconfig", server.Kubeconfig());

        // Then it is block YAML with both sections
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().StartWith("clientVersion:\n  gitVersion: v0.1.0\n").And.Contain("serverVersion:\n  major: \"1\"\n  minor: \"27\"\n  gitVersion: v1.27.16\n");
    }

    [Fact]
    public async Task Should_print_the_client_version_then_fail_when_the_server_is_unreachable()
    {
        // Given a kubeconfig whose server does not listen (retries off through a fixed-server factory would hide the loader, so use the loader)
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var cli = new CliHarness
        {
            KubeClientFactory = (_, _) => Task.FromResult<Drydock.Kube.IKubeClient>(new Drydock.Kube.Client.KubeClient(
                new Drydock.Kube.Client.KubeClientOptions { Server = new Uri($"http://127.0.0.1:{port}"), MaxRetries = 0 })),
        };

        // When running drydock version
        var result = await cli.RunAsync("version");

        // Then the client version is printed and one error line names the server; exit 1
        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Be("Client Version: v0.1.0\n");
        result.Stderr.Should().StartWith($"error: cannot reach the Kubernetes API server at http://127.0.0.1:{port}/:");
        result.Stderr.TrimEnd().Should().NotContain("\n");
    }
}
