using System.Diagnostics;
using System.Net;

namespace Drydock.Tests.Etcd.Support;

/// <summary>
/// A real etcd 3.4 on free loopback ports, plain (h2c) or TLS with client-cert auth, started from a test and stopped
/// by its PID. Readiness is polled on the plain metrics listener's /health, which needs no client certificate.
/// </summary>
internal sealed class EtcdProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EtcdProcess(Process process, string name, Uri clientUrl, Uri peerUrl, string dataDir, string log)
    {
        _process = process;
        Name = name;
        ClientUrl = clientUrl;
        PeerUrl = peerUrl;
        DataDir = dataDir;
        LogFile = log;
    }

    public string Name { get; }
    public Uri ClientUrl { get; }
    public Uri PeerUrl { get; }
    public string DataDir { get; }
    public string LogFile { get; }
    public int Pid => _process.Id;

    public sealed record StartOptions
    {
        public required string Name { get; init; }
        public required string DataDir { get; init; }
        public TestPki? Tls { get; init; }
        /// <summary>Reuse these ports (a restored member must come back with its peer URL).</summary>
        public int? ClientPort { get; init; }
        public int? PeerPort { get; init; }
        public string? InitialCluster { get; init; }
        public string? InitialClusterToken { get; init; }
    }

    public static async Task<EtcdProcess> StartAsync(StartOptions o)
    {
        var etcd = ProcessRunner.Require("etcd");
        var ports = FreePorts.Take(3);
        var client = o.ClientPort ?? ports[0];
        var peer = o.PeerPort ?? ports[1];
        var metrics = ports[2];
        var scheme = o.Tls is null ? "http" : "https";
        var clientUrl = new Uri($"{scheme}://127.0.0.1:{client}");
        var peerUrl = new Uri($"http://127.0.0.1:{peer}");
        var args = new List<string>
        {
            "--name", o.Name, "--data-dir", o.DataDir, "--logger=zap",
            "--listen-client-urls", clientUrl.ToString().TrimEnd('/'), "--advertise-client-urls", clientUrl.ToString().TrimEnd('/'),
            "--listen-peer-urls", peerUrl.ToString().TrimEnd('/'), "--initial-advertise-peer-urls", peerUrl.ToString().TrimEnd('/'),
            "--initial-cluster", o.InitialCluster ?? $"{o.Name}={peerUrl.ToString().TrimEnd('/')}",
            "--listen-metrics-urls", $"http://127.0.0.1:{metrics}",
        };
        if (o.InitialClusterToken is not null) args.AddRange(["--initial-cluster-token", o.InitialClusterToken]);
        if (o.Tls is { } pki)
            args.AddRange(["--cert-file", pki.ServerCert, "--key-file", pki.ServerKey, "--trusted-ca-file", pki.CaCert, "--client-cert-auth"]);
        var log = o.DataDir + ".log";
        var psi = new ProcessStartInfo(etcd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(psi.ArgumentList.Add);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start etcd");
        var logWriter = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (logWriter) logWriter.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (logWriter) logWriter.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new EtcdProcess(process, o.Name, clientUrl, peerUrl, o.DataDir, log);
        await server.WaitHealthyAsync(metrics);
        return server;
    }

    private async Task WaitHealthyAsync(int metricsPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"etcd {Name} exited with {_process.ExitCode}: {Tail()}");
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{metricsPort}/health");
                if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("true")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        await DisposeAsync();
        throw new TimeoutException($"etcd {Name} not healthy within 15 s: {Tail()}");
    }

    private string Tail()
    {
        try { return string.Join(" | ", File.ReadLines(LogFile).TakeLast(3)); } catch (IOException) { return "(no log)"; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        _process.Dispose();
    }
}
