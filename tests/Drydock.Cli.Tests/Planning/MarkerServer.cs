using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Drydock.Cli.Tests.Planning;

/// <summary>Serves release markers (NAME.txt) over HTTP on 127.0.0.1 and a free port, as dl.k8s.io/release does.</summary>
internal sealed class MarkerServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, string> files;
    private readonly Task loop;

    public Uri Url { get; }
    public List<string> Requests { get; } = [];

    public MarkerServer(Dictionary<string, string> files)
    {
        this.files = files;
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/release/");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        loop = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            var name = ctx.Request.Url!.AbsolutePath["/release/".Length..];
            lock (Requests) Requests.Add(name);
            if (files.TryGetValue(name, out var body))
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            else ctx.Response.StatusCode = 404;
            ctx.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
