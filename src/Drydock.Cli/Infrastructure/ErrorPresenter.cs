using Drydock.Common;
using Drydock.Kube;

namespace Drydock.Cli.Infrastructure;

/// <summary>
/// The one place that turns failures into text and exit codes (kubectl's CheckErr): expected errors print one
/// line; anything unexpected prints "unexpected error" and a hint, with the stack trace only under -v.
/// </summary>
internal static class ErrorPresenter
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    public static int Present(Exception ex, TextWriter err, bool verbose)
    {
        switch (ex)
        {
            case DrydockException d:
                err.WriteLine($"error: {d.Error.Message}");
                if (verbose && d.InnerException is not null) err.WriteLine(d.InnerException.ToString());
                return d.Error.ExitCode;
            case KubeApiException k:
                err.WriteLine(FormatServerError(k));
                if (verbose) err.WriteLine(k.ToString());
                return Failed;
            case OperationCanceledException:
                err.WriteLine("error: interrupted");
                return Interrupted;
            default:
                err.WriteLine($"error: unexpected error: {ex.Message} (run with -v for details)");
                if (verbose) err.WriteLine(ex.ToString());
                return Failed;
        }
    }

    /// <summary>kubectl's form: <c>Error from server (NotFound): nodes "x" not found</c>.</summary>
    public static string FormatServerError(KubeApiException k) =>
        k.Code == 0
            ? $"error: {k.Message}"
            : $"Error from server ({(string.IsNullOrEmpty(k.Reason) ? k.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : k.Reason)}): {k.Message}";
}
