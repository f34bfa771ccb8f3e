using System.Diagnostics;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Http;

/// <summary>`drydock sandbox serve` as a user runs it: a separate process, then kubectl against its kubeconfig.</summary>
public sealed class SandboxServeProcessTests
{
    private static string DrydockDll => Path.Combine(AppContext.BaseDirectory, "drydock.dll");

    [Fact]
    public async Task Should_serve_the_ha_scenario_to_kubectl_until_stopped()
    {
        // Given `drydock sandbox serve --scenario ha` running in its own process
        var dir = Directory.CreateTempSubdirectory("drydock-serve-test-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { DrydockDll, "sandbox", "serve", "--scenario", "ha", "--kubeconfig-out", kubeconfig, "--time-scale", "10" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            for (var i = 0; i < 300 && !File.Exists(kubeconfig); i++) await Task.Delay(50);
            File.Exists(kubeconfig).Should().BeTrue("serve writes the kubeconfig once it listens");

            // When kubectl lists the nodes
            var r = await Kubectl.RunAsync(kubeconfig, "get", "nodes", "-o", "json");

            // Then it sees three control planes and three workers
            r.ExitCode.Should().Be(0, r.Stderr);
            JsonNode.Parse(r.Stdout)!["items"]!.AsArray().Select(n => n!["metadata"]!["name"]!.GetValue<string>())
                .Should().BeEquivalentTo(["cp-1", "cp-2", "cp-3", "worker-1", "worker-2", "worker-3"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        (await stdout).Should().Contain($"export KUBECONFIG={kubeconfig}").And.Contain("kubectl get nodes");
    }
}
