using Drydock.Kube.Models;

namespace Drydock.Kube;

/// <summary>
/// The API server answered with an error Status (or the call could not reach it). The message is the server's
/// own text in kubectl's form — never a token, key or password.
/// </summary>
public sealed class KubeApiException : Exception
{
    public Status Status { get; }
    public int Code => Status.Code ?? 0;
    public string Reason => Status.Reason ?? "";

    public KubeApiException(Status status, Exception? inner = null)
        : base(status.Message ?? $"the server returned {status.Code} {status.Reason}", inner) => Status = status;

    public bool IsNotFound => Code == 404;
    public bool IsConflict => Code == 409;
    public bool IsGone => Code == 410;
    public bool IsTooManyRequests => Code == 429;
    public bool IsForbidden => Code == 403;

    public static KubeApiException NotFound(string resource, string name) => new(new Status
    {
        StatusValue = "Failure", Code = 404, Reason = "NotFound",
        Message = $"{resource} \"{name}\" not found",
        Details = new StatusDetails { Name = name, Kind = resource },
    });
}
