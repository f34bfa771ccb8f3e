using System.Globalization;
using Drydock.Common;

namespace Drydock.Planning.Upgrade;

/// <summary>
/// <c>--max-unavailable N|P%</c>: how many worker nodes are drained and upgraded together.
/// A percentage is of the worker nodes and rounds <b>down</b>, as a Deployment's maxUnavailable does
/// (intstr.GetScaledValueFromIntOrPercent with roundUp=false), but never below 1 so the plan always progresses:
/// 25% of 10 workers = 2, 25% of 3 workers = 1. A count larger than the workers means all of them at once.
/// </summary>
public sealed record BatchSize
{
    public int? Count { get; init; }
    public int? Percent { get; init; }

    public static readonly BatchSize One = new() { Count = 1 };

    public int Resolve(int workers)
    {
        if (workers <= 0) return 1;
        var n = Count ?? (int)Math.Floor(Percent!.Value * (double)workers / 100.0);
        return Math.Clamp(n, 1, workers);
    }

    public override string ToString() => Count is { } c ? c.ToString(CultureInfo.InvariantCulture) : $"{Percent}%";

    public static BatchSize? TryParse(string? text, out string error)
    {
        error = "";
        var s = text?.Trim() ?? "";
        if (s.EndsWith('%'))
        {
            if (int.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 100)
                return new BatchSize { Percent = p };
            error = $"invalid --max-unavailable \"{text}\": a percentage must be between 1% and 100%";
            return null;
        }
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            return new BatchSize { Count = n };
        error = $"invalid --max-unavailable \"{text}\": expected a number of nodes (at least 1) or a percentage such as 25%";
        return null;
    }

    public static BatchSize Parse(string? text) =>
        TryParse(text, out var e) ?? throw new DrydockException(new UsageError(e));
}
