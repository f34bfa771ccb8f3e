using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Drydock.Cli.Tests.Etcd;

/// <summary>
/// A real plain etcd 3.4 on free loopback ports for the CLI tests (the TLS paths are covered in Drydock.Tests/Etcd),
/// stopped by PID; fails loudly when etcd is not installed.
/// </summary>
public sealed class EtcdCliFixture : IAsyncLifetime
{
    private Process? _etcd;
    public string Dir { get; } = Directory.CreateTempSubdirectory("drydock-etcd-cli-").FullName;
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var ports = FreePorts(3);
        Endpoint = $"http://127.0.0.1:{ports[0]}";
        var peer = $"http://127.0.0.1:{ports[1]}";
        var psi = new ProcessStartInfo(Require("etcd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--name", "cli", "--data-dir", Path.Combine(Dir, "cli.etcd"), "--logger=zap",
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"cli={peer}",
            "--listen-metrics-urls", $"http://127.0.0.1:{ports[2]}",
        }) psi.ArgumentList.Add(a);
        _etcd = Process.Start(psi)!;
        _etcd.OutputDataReceived += (_, _) => { };
        _etcd.ErrorDataReceived += (_, _) => { };
        _etcd.BeginOutputReadLine();
        _etcd.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetStringAsync($"http://127.0.0.1:{ports[2]}/health")).Contains("true")) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (_etcd.HasExited || clock.Elapsed > TimeSpan.FromSeconds(15)) throw new InvalidOperationException("etcd did not become healthy");
            await Task.Delay(50);
        }
        for (var i = 0; i < 10; i++) await EtcdctlAsync("put", $"/registry/cli/{i}", $"v{i}");
    }

    public async Task<string> EtcdctlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Require("etcdctl")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ETCDCTL_API"] = "3";
        psi.ArgumentList.Add($"--endpoints={Endpoint}");
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"etcdctl {string.Join(' ', args)}: {await stderr}");
        return await stdout;
    }

    /// <summary>Ports below the ephemeral range, checked free (shared with the library tests: see FreePorts there).</summary>
    public static int[] FreePorts(int count) => Drydock.Tests.Etcd.Support.FreePorts.Take(count);

    private static string Require(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} not found on PATH: install etcd-server and etcd-client (scripts/test.sh does)");

    public async Task DisposeAsync()
    {
        if (_etcd is { HasExited: false })
        {
            _etcd.Kill();
            await _etcd.WaitForExitAsync();
        }
        _etcd?.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
