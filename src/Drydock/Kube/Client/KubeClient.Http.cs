using System.Net;
using System.Net.Http.Headers;
using Drydock.Kube.Models;
using Polly.Timeout;

namespace Drydock.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>One API call: the pipeline (deadline + retries) around attempts that read the whole answer.</summary>
    private async Task<KubeResponse> CallAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? mediaType, bool idempotent, CancellationToken ct)
    {
        var pipeline = idempotent ? _idempotent : _nonIdempotent;
        string? lastProblem = null;
        KubeResponse response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    var r = await AttemptAsync(method, pathAndQuery, body, mediaType, token);
                    if (!r.IsSuccess) lastProblem = $"the server answered {(int)r.StatusCode}";
                    return r;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !token.IsCancellationRequested)
                {
                    lastProblem = Describe(ex);
                    throw;
                }
            }, ct);
        }
        catch (TimeoutRejectedException ex)
        {
            var last = lastProblem is null ? "" : $" (last attempt: {lastProblem})";
            throw new KubeApiException(KubeStatuses.ClientSide("Timeout",
                $"the Kubernetes API server at {Server} did not answer {method} {PathOnly(pathAndQuery)} within {Format(_options.RequestDeadline)}{last}"), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            throw Unreachable(ex);
        }
        if (!response.IsSuccess)
            throw new KubeApiException(KubeStatuses.FromResponse(response.StatusCode, response.Body, method.Method, PathOnly(pathAndQuery)));
        return response;
    }

    private async Task<KubeResponse> AttemptAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? mediaType, CancellationToken ct)
    {
        using var first = await SendOnceAsync(method, pathAndQuery, body, mediaType, ct);
        if (first.StatusCode == HttpStatusCode.Unauthorized && _options.Credentials?.Invalidate() == true)
        {
            // A credential that may have rotated (exec plugin, token file): fetch it again and retry once.
            using var second = await SendOnceAsync(method, pathAndQuery, body, mediaType, ct);
            return await BufferAsync(second, ct);
        }
        return await BufferAsync(first, ct);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? mediaType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, _base + pathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(KubeClientConstants.JsonMediaType));
        if (_options.Credentials is { } credentials)
            request.Headers.Authorization = await credentials.GetAuthorizationAsync(ct);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType ?? KubeClientConstants.JsonMediaType);
        }
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<KubeResponse> BufferAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var retryAfter = KubeRetryPipeline.ParseRetryAfter(response.Headers.RetryAfter, _options.Time);
        if (retryAfter is null && !response.IsSuccessStatusCode && KubeStatuses.TryParseStatus(bytes)?.Details?.RetryAfterSeconds is int s and > 0)
            retryAfter = TimeSpan.FromSeconds(s);
        return new KubeResponse(response.StatusCode, bytes, retryAfter);
    }

    /// <summary>Code 0: no HTTP answer. Names the server and what to check; the exception text has no credentials.</summary>
    private KubeApiException Unreachable(Exception ex) =>
        new(KubeStatuses.ClientSide("ConnectionFailed",
            $"cannot reach the Kubernetes API server at {Server}: {Describe(ex)} (check the server URL in your kubeconfig and that the API server is running)"), ex);

    private static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            var m = e.Message.Trim().TrimEnd('.');
            if (m.Length > 0 && !parts.Any(p => p.Contains(m, StringComparison.Ordinal))) parts.Add(m);
        }
        return string.Join(": ", parts);
    }

    private static string PathOnly(string pathAndQuery) => pathAndQuery.Split('?', 2)[0];

    private static string Format(TimeSpan t) =>
        t.TotalSeconds >= 1 && t.Milliseconds == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";
}
