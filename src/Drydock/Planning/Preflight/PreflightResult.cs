namespace Drydock.Planning.Preflight;

public enum PreflightStatus { Pass, Warn, Fail }

/// <summary>
/// The outcome of one check: what was checked, the verdict, the evidence it rests on (objects, versions, numbers)
/// and what to do about it. A Fail blocks the plan (exit 1); a Warn is shown and does not block.
/// </summary>
public sealed record PreflightResult
{
    public required string Check { get; init; }
    public required PreflightStatus Status { get; init; }
    /// <summary>One line ("3 of 8 nodes NotReady").</summary>
    public required string Summary { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];
    /// <summary>The flag or action that fixes it; null on Pass.</summary>
    public string? Remedy { get; init; }

    public static PreflightResult Pass(string check, string summary, IReadOnlyList<string>? evidence = null) =>
        new() { Check = check, Status = PreflightStatus.Pass, Summary = summary, Evidence = evidence ?? [] };
}

/// <summary>Evidence lists stay readable on 5,000-node clusters: the first few, then a count.</summary>
internal static class EvidenceList
{
    public const int Max = 10;

    public static IReadOnlyList<string> Cap(IReadOnlyList<string> lines)
    {
        if (lines.Count <= Max) return lines;
        return [.. lines.Take(Max), $"… and {lines.Count - Max} more"];
    }
}
