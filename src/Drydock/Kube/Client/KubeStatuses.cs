using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Kube.Client;

/// <summary>
/// Turns an error answer into a <see cref="Status"/>: the server's own when the body is one, otherwise one
/// synthesized with client-go's wording (apimachinery's NewGenericServerResponse).
/// </summary>
internal static class KubeStatuses
{
    private const int MaxBodyInMessage = 200;

    public static Status FromResponse(HttpStatusCode code, byte[] body, string method, string path)
    {
        var parsed = TryParseStatus(body);
        if (parsed is not null)
            return parsed with { Code = parsed.Code is null or 0 ? (int)code : parsed.Code };
        var (reason, message) = Generic((int)code, body);
        return new Status
        {
            StatusValue = "Failure", Code = (int)code, Reason = reason,
            Message = message,
            Details = new StatusDetails { Causes = [new StatusCause { Reason = "UnexpectedServerResponse", Message = $"{method} {path}" }] },
        };
    }

    public static Status? TryParseStatus(byte[] body)
    {
        if (body.Length == 0 || body[0] != (byte)'{') return null;
        try
        {
            var status = KubeJson.Deserialize<Status>(Encoding.UTF8.GetString(body));
            return status.Kind == "Status" ? status : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>A failure that never got an HTTP answer (connection refused, reset, deadline): code 0.</summary>
    public static Status ClientSide(string reason, string message) =>
        new() { StatusValue = "Failure", Code = 0, Reason = reason, Message = message };

    private static (string Reason, string Message) Generic(int code, byte[] body) => code switch
    {
        400 => ("BadRequest", "the server rejected our request for an unknown reason"),
        401 => ("Unauthorized", "the server has asked for the client to provide credentials"),
        403 => ("Forbidden", "the server does not allow access to the requested resource"),
        404 => ("NotFound", "the server could not find the requested resource"),
        405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
        406 => ("NotAcceptable", "the server was unable to respond with a content type that the client supports"),
        409 => ("Conflict", "the server reported a conflict"),
        410 => ("Expired", "the requested resource version is too old"),
        415 => ("UnsupportedMediaType", "the server does not support the content type of the request"),
        422 => ("Invalid", "the server rejected our request due to an error in our request"),
        429 => ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
        500 => ("InternalError", $"an error on the server ({Quote(body)}) has prevented the request from succeeding"),
        503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
        504 => ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
        _ => ("Unknown", $"the server responded with the status code {code.ToString(CultureInfo.InvariantCulture)} but did not return more information"),
    };

    private static string Quote(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxBodyInMessage * 4)).Trim();
        if (text.Length > MaxBodyInMessage) text = text[..MaxBodyInMessage] + "…";
        return $"\"{(text.Length == 0 ? "unknown" : text)}\"";
    }
}
