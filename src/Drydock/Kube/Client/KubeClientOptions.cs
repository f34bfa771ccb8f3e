using Drydock.Kube.Auth;

namespace Drydock.Kube.Client;

/// <summary>
/// Everything a <see cref="KubeClient"/> needs. Built by the kubeconfig loader (<c>KubeConnection.CreateClient</c>)
/// or directly by tests and the sandbox (a plain <see cref="Server"/> plus, say, a TestServer handler).
/// </summary>
public sealed record KubeClientOptions
{
    /// <summary>The API server's base URL, e.g. https://10.0.0.1:6443 (a path prefix is kept).</summary>
    public required Uri Server { get; init; }

    /// <summary>The clock for deadlines and back-offs; tests pass a <c>ManualTimeProvider</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The HTTP handler (TLS, client certificates). Null: a plain <see cref="SocketsHttpHandler"/>.
    /// The client disposes it with itself.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Supplies the Authorization header (token, basic, exec plugin); null for none (client certs or anonymous).</summary>
    public IKubeCredentials? Credentials { get; init; }

    /// <summary>Overall deadline of one call, retries included. Watches use it only until the response headers arrive.</summary>
    public TimeSpan RequestDeadline { get; init; } = KubeClientConstants.DefaultRequestDeadline;

    /// <summary>Retries of idempotent calls (GET, LIST, WATCH start, PATCH, DELETE) on 429, 5xx and connection failures.
    /// Create and eviction POSTs are never retried on an HTTP answer: their 429/500 reach the caller.</summary>
    public int MaxRetries { get; init; } = KubeClientConstants.DefaultMaxRetries;

    public TimeSpan RetryBaseDelay { get; init; } = KubeClientConstants.DefaultRetryBaseDelay;

    public TimeSpan RetryMaxDelay { get; init; } = KubeClientConstants.DefaultRetryMaxDelay;

    /// <summary>Jitter source in [0,1), as Polly's Randomizer; tests pass a constant for exact delays.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    public string UserAgent { get; init; } = KubeClientConstants.UserAgent;
}
