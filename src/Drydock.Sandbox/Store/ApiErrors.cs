using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Sandbox.Store;

/// <summary>The apiserver's error Statuses, word for word (reason, code, message shape).</summary>
internal static class ApiErrors
{
    public static KubeApiException Make(int code, string reason, string message, string? name = null, string? kind = null,
        string? group = null, IReadOnlyList<StatusCause>? causes = null, int? retryAfter = null) =>
        new(new Status
        {
            Metadata = new ListMeta(),
            StatusValue = "Failure",
            Code = code,
            Reason = reason,
            Message = message,
            Details = name is null && kind is null && causes is null ? null
                : new StatusDetails { Name = name, Kind = kind, Group = group is { Length: > 0 } ? group : null, Causes = causes, RetryAfterSeconds = retryAfter },
        });

    private static string Qualified(ServedResource r) => r.Kind.Group.Length == 0 ? r.Kind.Plural : $"{r.Kind.Plural}.{r.Kind.Group}";

    public static KubeApiException NotFound(ServedResource r, string name) =>
        Make(404, "NotFound", $"{Qualified(r)} \"{name}\" not found", name, r.Kind.Plural, r.Kind.Group);

    public static KubeApiException AlreadyExists(ServedResource r, string name) =>
        Make(409, "AlreadyExists", $"{Qualified(r)} \"{name}\" already exists", name, r.Kind.Plural, r.Kind.Group);

    public static KubeApiException Conflict(ServedResource r, string name, string why) =>
        Make(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(r)} \"{name}\": {why}", name, r.Kind.Plural, r.Kind.Group);

    public static KubeApiException Invalid(ServedResource r, string name, string field, string why) =>
        Make(422, "Invalid", $"{r.Kind.Kind} \"{name}\" is invalid: {field}: {why}", name, r.Kind.Kind, r.Kind.Group,
            [new StatusCause { Reason = "FieldValueInvalid", Message = why, Field = field }]);

    public static KubeApiException BadRequest(string message) => Make(400, "BadRequest", message);

    public static KubeApiException NotFoundPath() => Make(404, "NotFound", "the server could not find the requested resource");

    public static KubeApiException MethodNotAllowed(string method) =>
        Make(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");

    public static KubeApiException UnsupportedMediaType(string contentType) =>
        Make(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {contentType})");

    public static KubeApiException Gone(string message) => Make(410, "Expired", message);

    public static KubeApiException TooManyRequests(string message, IReadOnlyList<StatusCause>? causes = null) =>
        Make(429, "TooManyRequests", message, causes: causes);

    public static KubeApiException Internal(string message) => Make(500, "InternalError", $"Internal error occurred: {message}");

    public static KubeApiException Forbidden(string message) => Make(403, "Forbidden", message);
}
