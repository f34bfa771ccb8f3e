using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Drydock.Tests.Etcd.Support;

/// <summary>
/// What the kubelet does with static pods, for a fake node in a temp dir: polls the manifests dir; while etcd.yaml is
/// there it runs the real etcd with the manifest's command; while kube-apiserver.yaml is there it serves /readyz on the
/// manifest's --secure-port (plain HTTP: a stand-in that is "ready" exactly while its manifest is in place).
/// </summary>
internal sealed partial class FakeKubelet : IAsyncDisposable
{
    private readonly string _manifests;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Process? _etcd;
    private string? _etcdManifest;
    private HttpListener? _apiserver;
    public List<string> Events { get; } = [];

    public FakeKubelet(string manifestsDir)
    {
        _manifests = manifestsDir;
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            SyncEtcd();
            SyncApiServer();
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    private void SyncEtcd()
    {
        var path = Path.Combine(_manifests, "etcd.yaml");
        var text = File.Exists(path) ? File.ReadAllText(path) : null;
        if (text == _etcdManifest && (_etcd is null || !_etcd.HasExited)) return;
        StopEtcd();
        _etcdManifest = text;
        if (text is null) return;
        var command = Command(text);
        var psi = new ProcessStartInfo(ProcessRunner.Require(command[0])) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        command.Skip(1).ToList().ForEach(psi.ArgumentList.Add);
        _etcd = Process.Start(psi)!;
        _etcd.OutputDataReceived += (_, _) => { };
        _etcd.ErrorDataReceived += (_, _) => { };
        _etcd.BeginOutputReadLine();
        _etcd.BeginErrorReadLine();
        lock (Events) Events.Add($"started etcd {string.Join(' ', command.Where(c => c.StartsWith("--data-dir", StringComparison.Ordinal)))}");
    }

    private void StopEtcd()
    {
        if (_etcd is null) return;
        if (!_etcd.HasExited) { _etcd.Kill(); _etcd.WaitForExit(10_000); }
        _etcd.Dispose();
        _etcd = null;
        lock (Events) Events.Add("stopped etcd");
    }

    private void SyncApiServer()
    {
        var path = Path.Combine(_manifests, "kube-apiserver.yaml");
        if (File.Exists(path) && _apiserver is null)
        {
            var port = SecurePort().Match(File.ReadAllText(path)).Groups[1].Value;
            _apiserver = new HttpListener();
            _apiserver.Prefixes.Add($"http://127.0.0.1:{port}/");
            _apiserver.Start();
            _ = ServeAsync(_apiserver);
            lock (Events) Events.Add("started kube-apiserver");
        }
        else if (!File.Exists(path) && _apiserver is not null)
        {
            _apiserver.Close();
            _apiserver = null;
            lock (Events) Events.Add("stopped kube-apiserver");
        }
    }

    private static async Task ServeAsync(HttpListener listener)
    {
        try
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = context.Request.Url?.AbsolutePath == "/readyz" ? 200 : 404;
                context.Response.Close();
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
    }

    private static List<string> Command(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["spec"])["containers"]).Children[0];
        return [.. ((YamlSequenceNode)container["command"]).Children.Select(c => ((YamlScalarNode)c).Value!)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        StopEtcd();
        _apiserver?.Close();
    }

    [GeneratedRegex(@"--secure-port=(\d+)")]
    private static partial Regex SecurePort();
}
