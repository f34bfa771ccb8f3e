using System.Text.RegularExpressions;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Drain;

/// <summary>
/// What two drain runs must agree on, extracted from their output with kubectl's version quirks normalised:
/// kubectl ≤1.29 says "Pods declare no controller", 1.30–1.35 "cannot delete cannot delete"; kubectl prints error
/// groups and "evicting" lines in random (map/goroutine) order and repeats "evicting" before each retry; it never
/// shows the emptyDir or missing-DaemonSet warnings (Drydock does: so kubectl's warnings must be a subset).
/// </summary>
internal sealed partial record DrainOutput(
    int ExitCode, IReadOnlySet<string> ProgressLines, IReadOnlySet<string> Refusals, IReadOnlySet<string> Warnings,
    IReadOnlySet<string> RetriedPods, IReadOnlySet<string> PendingNodes, IReadOnlySet<string> ServerErrors)
{
    [GeneratedRegex(@"cannot delete (?:cannot delete )?(?<msg>.+?): (?<pods>[a-z0-9.-]+/[a-z0-9.-]+(?:, [a-z0-9.-]+/[a-z0-9.-]+)*)")]
    private static partial Regex Refusal();

    [GeneratedRegex(@"^error when evicting pods/""(?<pod>[^""]+)"" -n ""(?<ns>[^""]+)"" \(will retry after 5s\)")]
    private static partial Regex Retry();

    public static DrainOutput Parse(KubectlResult r)
    {
        var stdout = Lines(r.Stdout);
        var stderr = Lines(r.Stderr);
        var progress = stdout.Where(l => l.StartsWith("node/", StringComparison.Ordinal) || l.StartsWith("evicting pod ", StringComparison.Ordinal) || l.StartsWith("pod/", StringComparison.Ordinal)).ToHashSet();
        var refusals = stderr.SelectMany(l => Refusal().Matches(Normalise(l)).Select(m => $"{m.Groups["msg"].Value}: {m.Groups["pods"].Value}")).ToHashSet();
        var warnings = stderr.Where(l => l.StartsWith("Warning: ", StringComparison.Ordinal) && !l.StartsWith("Warning: PodDisruptionBudget", StringComparison.Ordinal))
            .SelectMany(l => l["Warning: ".Length..].Split("; ")).ToHashSet();
        var retried = stderr.Select(l => Retry().Match(l)).Where(m => m.Success).Select(m => $"{m.Groups["ns"].Value}/{m.Groups["pod"].Value}").ToHashSet();
        var pendingIndex = stderr.FindIndex(l => l == "There are pending nodes to be drained:");
        var pending = pendingIndex < 0 ? [] : stderr.Skip(pendingIndex + 1).TakeWhile(l => l.StartsWith(' ')).Select(l => l.Trim()).ToHashSet();
        var serverErrors = stderr.Where(l => l.StartsWith("Error from server", StringComparison.Ordinal)).ToHashSet();
        return new DrainOutput(r.ExitCode, progress, refusals, warnings, retried, pending, serverErrors);
    }

    private static string Normalise(string line) => line.Replace("Pods declare no controller", "Pods that declare no controller", StringComparison.Ordinal);

    private static List<string> Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
