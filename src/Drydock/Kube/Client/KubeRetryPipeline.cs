using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Drydock.Kube.Client;

/// <summary>
/// The Polly pipelines a <see cref="KubeClient"/> runs each call through, on the client's clock:
/// an overall deadline outside, and inside it exponential back-off with jitter that honours Retry-After.
/// </summary>
internal static class KubeRetryPipeline
{
    /// <summary>Idempotent calls: retry 429, 5xx and transport failures.</summary>
    public static ResiliencePipeline<KubeResponse> Idempotent(KubeClientOptions o) => Build(o, retryAnswers: true);

    /// <summary>Create/evict POSTs: retry only a refused connection (the request never left), never an answer.</summary>
    public static ResiliencePipeline<KubeResponse> NonIdempotent(KubeClientOptions o) => Build(o, retryAnswers: false);

    private static ResiliencePipeline<KubeResponse> Build(KubeClientOptions o, bool retryAnswers)
    {
        var builder = new ResiliencePipelineBuilder<KubeResponse> { TimeProvider = o.Time };
        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = o.RequestDeadline });
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<KubeResponse>
            {
                MaxRetryAttempts = o.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } ex } => retryAnswers ? IsTransient(ex) : IsRefused(ex),
                    { Result: { } r } => retryAnswers && r.IsRetryable,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    Delay(args.AttemptNumber, args.Outcome.Result?.RetryAfter, o)),
            });
        }
        return builder.Build();
    }

    /// <summary>The server's Retry-After when it gave one, else base·2^attempt with ±50% jitter; capped.</summary>
    internal static TimeSpan Delay(int attempt, TimeSpan? retryAfter, KubeClientOptions o)
    {
        if (retryAfter is { } ra) return ra < o.RetryMaxDelay ? (ra < TimeSpan.Zero ? TimeSpan.Zero : ra) : o.RetryMaxDelay;
        var exp = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var jittered = exp * (0.5 + o.Jitter());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, o.RetryMaxDelay.TotalMilliseconds));
    }

    /// <summary>Retry-After as seconds or an HTTP date (relative to the client's clock).</summary>
    internal static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header, TimeProvider time) => header switch
    {
        { Delta: { } d } => d,
        { Date: { } at } => at - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    internal static bool IsTransient(Exception ex) => ex switch
    {
        TimeoutRejectedException => false,
        OperationCanceledException => false,
        // A certificate the client rejects, or a host name that does not resolve, will not fix itself in seconds.
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => false,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: System.Security.Authentication.AuthenticationException } => false,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    private static bool IsRefused(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };
}
