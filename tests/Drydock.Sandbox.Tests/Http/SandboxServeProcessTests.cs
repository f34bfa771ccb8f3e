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
        var banner = new System.Text.StringBuilder();
        try
        {
            // The banner ends with the Ctrl-C hint once the API listens and the kubeconfig is written.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                banner.AppendLine(line);
                if (line.StartsWith("Press Ctrl-C", StringComparison.Ordinal)) break;
            }
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
        banner.ToString().Should().Contain($"export KUBECONFIG={kubeconfig}").And.Contain("kubectl get nodes");
    }
}

/// <summary>`drydock demo` as a user runs it: plan, remedy, a complete upgrade, zero PDB violations.</summary>
public sealed class DemoProcessTests
{
    [Fact]
    public async Task Should_plan_find_the_blocking_pdb_apply_the_remedy_and_upgrade_every_node()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "drydock.dll"), "demo", "--time-scale", "50" }) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(cts.Token);

        var output = await stdout;
        process.ExitCode.Should().Be(0, output + await stderr);
        output.Should().Contain("a simulated kubeadm cluster v1.27.16 (1 control plane(s), 3 workers");
        output.Should().MatchRegex(@"worker-1\s+worker\s+Ready\s+v1\.27\.16\s+1\.27\.16\s+apt");
        output.Should().Contain("kubeadm upgrade apply v1.28.15");
        output.Should().Contain("PDB shop/payments: minAvailable 2 ≥ 2 matching pods");
        output.Should().Contain("scale deployment payments --replicas=3");
        output.Should().MatchRegex(@"etcd snapshot\s+cp-1:/var/lib/drydock/etcd-backups/etcd-snapshot-\d{8}T\d{6}Z\.db\s+verified");
        output.Should().Contain("complete: 4 nodes");
        output.Should().MatchRegex(@"worker-3\s+<none>\s+Ready\s+v1\.28\.15");
        output.Should().Contain(", 0 PDB violations.");
    }
}
