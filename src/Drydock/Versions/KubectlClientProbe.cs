using System.Text.Json;
using Drydock.Nodes;
using Drydock.Nodes.Shell;

namespace Drydock.Versions;

/// <summary>
/// The kubectl this machine would use, as <c>kubectl version --client -o json</c> reports it — the one skew pair no
/// cluster inventory can see. A gcloud-style dispatcher (gitVersion "…-dispatcher") runs a client matched to each
/// server, so it has no version of its own to check; a missing kubectl is noted, not an error.
/// </summary>
public sealed record KubectlClientProbe(string Path, KubeVersion? Version, string Note)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task<KubectlClientProbe> RunAsync(INodeAgent localAgent, string path, CancellationToken ct = default)
    {
        var result = await localAgent.RunAsync(new RunCommand($"{ShellQuote.Quote(path)} version --client -o json", Timeout), ct);
        if (result.ExitCode == 127 || result.Stderr.Contains("not found", StringComparison.Ordinal) && result.Stdout.Length == 0)
            return new(path, null, $"kubectl: {path} not found, not checked (--kubectl PATH to name one)");
        if (result.ExitCode != 0)
            return new(path, null, $"kubectl: {path} version --client failed (exit {result.ExitCode}): {FirstLine(result.Stderr)}");
        return Parse(path, result.Stdout);
    }

    /// <summary>Reads the JSON of <c>kubectl version --client -o json</c>.</summary>
    public static KubectlClientProbe Parse(string path, string json)
    {
        string? git = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("clientVersion", out var cv) && cv.TryGetProperty("gitVersion", out var gv))
                git = gv.GetString();
        }
        catch (JsonException) { }
        if (git is null) return new(path, null, $"kubectl: {path} printed no clientVersion.gitVersion, not checked");
        if (git.EndsWith("-dispatcher", StringComparison.Ordinal))
            return new(path, null, $"kubectl: {path} is a version dispatcher ({git}): it runs a client matched to the server, not checked");
        // "v1.28.15", "v1.29.3-eks-adc7111", "v1.27.16+k3s1": the release is what the policy is about.
        var core = git.Split('-', '+')[0];
        return KubeVersion.TryParse(core, out _) is { } v
            ? new(path, v, $"kubectl: {path} is {git}")
            : new(path, null, $"kubectl: {path} reports {git}, not a version, not checked");
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
}
