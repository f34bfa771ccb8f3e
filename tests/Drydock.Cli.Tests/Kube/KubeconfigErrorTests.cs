using Drydock.Cli.Tests.Infrastructure;

namespace Drydock.Cli.Tests.Kube;

/// <summary>Broken kubeconfigs through the real CLI: one line on stderr, exit code 2, nothing on stdout.</summary>
public sealed class KubeconfigErrorTests
{
    public static TheoryData<string, string?, string> Cases => new()
    {
        // case, kubeconfig text (null = the file does not exist), expected stderr after "error: " ({dir} = its folder)
        { "missing file", null, "kubeconfig {dir}/config does not exist; pass an existing file with --kubeconfig" },
        { "bad YAML", "clusters: [ {name: a", "kubeconfig {dir}/config is not valid YAML (line " },
        { "context names a missing cluster", "current-context: a\ncontexts:\n- name: a\n  context: {cluster: gone}\n",
            "context \"a\" in kubeconfig {dir}/config names cluster \"gone\", which is not defined; add it under clusters: or pick another --context" },
        { "unreadable cert", "current-context: a\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1', certificate-authority: missing-ca.crt}\ncontexts:\n- name: a\n  context: {cluster: c}\n",
            "cluster \"c\" (kubeconfig {dir}/config): cannot read certificate-authority {dir}/missing-ca.crt (" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_report_a_broken_kubeconfig_in_one_line_with_exit_code_2(string name, string? yaml, string expected)
    {
        // Given a broken kubeconfig
        _ = name;
        var dir = Directory.CreateTempSubdirectory("drydock-cli-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            if (yaml is not null) File.WriteAllText(path, yaml);

            // When running drydock nodes with it
            var result = await new CliHarness().RunAsync("nodes", "--kubeconfig", path);

            // Then exactly one error line, exit 2
            result.ExitCode.Should().Be(2, result.ToString());
            result.Stdout.Should().BeEmpty();
            result.Stderr.Should().StartWith("error: " + expected.Replace("{dir}", dir));
            result.Stderr.TrimEnd('\n').Should().NotContain("\n");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Should_use_the_context_flag_and_report_an_unknown_context()
    {
        // Given a kubeconfig with one context
        await using var server = await KubeTestServer.StartAsync(ctx => ctx.Json(200, "{}"));
        var path = server.Kubeconfig();

        // When asking for another context
        var result = await new CliHarness().RunAsync("nodes", "--kubeconfig", path, "--context", "prod");

        // Then the error lists the contexts there are
        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Be($"error: context \"prod\" is not in kubeconfig {path}; pass --context with an existing one (available: test)\n");
    }

    [Fact]
    public async Task Should_show_a_failing_exec_plugins_stderr()
    {
        // Given a kubeconfig whose exec plugin fails with a message
        await using var server = await KubeTestServer.StartAsync(ctx => ctx.Json(200, "{}"));
        var plugin = server.Write("fail.sh", "#!/bin/sh\necho 'token expired: run gcloud auth login' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var path = server.Kubeconfig("exec: {apiVersion: client.authentication.k8s.io/v1, command: ./fail.sh, interactiveMode: Never}");

        // When running drydock nodes
        var result = await new CliHarness().RunAsync("nodes", "--kubeconfig", path);

        // Then the plugin's stderr is in the one error line, exit 1, and no request was sent
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be($"error: exec credential plugin \"{plugin}\" for user \"test\" failed with exit code 1: token expired: run gcloud auth login\n");
        server.Requests.Should().BeEmpty();
    }
}
