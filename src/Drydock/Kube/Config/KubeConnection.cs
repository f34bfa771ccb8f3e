using Drydock.Kube.Auth;
using Drydock.Kube.Client;

namespace Drydock.Kube.Config;

/// <summary>
/// A resolved way to reach one cluster: server, TLS, credentials and the default namespace — what a kubeconfig
/// context (or in-cluster config) comes down to. ToString names the context and server, never a secret.
/// </summary>
public sealed record KubeConnection
{
    public required Uri Server { get; init; }
    public KubeTlsSettings Tls { get; init; } = new();
    public IKubeCredentials? Credentials { get; init; }
    /// <summary>The context's namespace, or "default".</summary>
    public string Namespace { get; init; } = "default";
    /// <summary>The context name, or "in-cluster".</summary>
    public string ContextName { get; init; } = "";
    /// <summary>The kubeconfig file(s) it came from, for messages.</summary>
    public string Source { get; init; } = "";

    public KubeClient CreateClient(TimeProvider? time = null, Func<KubeClientOptions, KubeClientOptions>? configure = null)
    {
        var options = new KubeClientOptions
        {
            Server = Server,
            Time = time ?? TimeProvider.System,
            Handler = Tls.CreateHandler(),
            Credentials = Credentials,
        };
        return new KubeClient(configure is null ? options : configure(options));
    }

    public override string ToString() => $"KubeConnection {{ context {ContextName}, server {Server}, credentials {Credentials?.ToString() ?? "none"} }}";
}
