namespace Drydock.Kube.Client;

/// <summary>Defaults for <see cref="KubeClientOptions"/>; each is documented where it matters.</summary>
public static class KubeClientConstants
{
    /// <summary>Overall deadline of one call, all retries included (kubectl's --request-timeout is unlimited; we are not).</summary>
    public static readonly TimeSpan DefaultRequestDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt, for idempotent calls only.</summary>
    public const int DefaultMaxRetries = 5;

    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>No single back-off (even a server's Retry-After) is longer than this.</summary>
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Page size used by the typed list helpers (kubectl drain uses 500).</summary>
    public const int DefaultPageSize = 500;

    public const string JsonMediaType = "application/json";
    public const string StrategicMergePatchMediaType = "application/strategic-merge-patch+json";
    public const string MergePatchMediaType = "application/merge-patch+json";
    public const string JsonPatchMediaType = "application/json-patch+json";

    /// <summary>The plain handler: a watch abandoned mid-stream closes its connection at once instead of being
    /// drained for seconds (we always read other bodies to the end, so pooling is unaffected).</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        MaxResponseDrainSize = 0,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
    };

    public static string UserAgent { get; } =
        $"drydock/{typeof(KubeClientConstants).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";
}
