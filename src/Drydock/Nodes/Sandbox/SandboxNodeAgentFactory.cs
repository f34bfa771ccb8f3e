namespace Drydock.Nodes.Sandbox;

/// <summary>
/// Node agents for a sandbox cluster, found from the kubeconfig's server URL (<c>--transport sandbox</c>): the
/// sandbox serves its node-agent endpoint on the same listener as the Kubernetes API.
/// </summary>
public sealed class SandboxNodeAgentFactory : INodeAgentFactory, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    public SandboxNodeAgentFactory(Uri server, HttpClient? http = null)
    {
        if (server.Scheme is not ("http" or "https")) throw new ArgumentException($"the sandbox server URL must be http(s), got {server}", nameof(server));
        Server = new Uri(server.GetLeftPart(UriPartial.Authority));
        _ownsClient = http is null;
        // Steps take simulated time (kubeadm apply ~60 s at time scale 1), so the timeout is generous.
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(15) };
    }

    public Uri Server { get; }

    public INodeAgent For(string nodeName) => new SandboxNodeAgent(_http, Server, nodeName);

    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }
}
