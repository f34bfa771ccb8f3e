using System.Net;

namespace Drydock.Kube.Client;

/// <summary>A fully read answer: buffering inside the retry pipeline lets a reset mid-body retry too.</summary>
internal sealed record KubeResponse(HttpStatusCode StatusCode, byte[] Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    /// <summary>Answers worth another attempt of an idempotent call.</summary>
    public bool IsRetryable => (int)StatusCode is 429 or 500 or 502 or 503 or 504;
}
