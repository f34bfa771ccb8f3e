using System.Globalization;
using Drydock.Common;

namespace Drydock.Orchestration;

/// <summary>
/// --max-unavailable N|P%: an absolute count, or a percentage of the nodes in scope rounded down (as Deployment's
/// maxUnavailable), never below 1 — a rolling procedure must make progress.
/// </summary>
public static class MaxUnavailable
{
    public static int Resolve(string text, int nodes)
    {
        var t = text.Trim();
        if (t.EndsWith('%'))
        {
            if (int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var pct) && pct is > 0 and <= 100)
                return Math.Max(1, nodes * pct / 100);
        }
        else if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }
        throw new DrydockException(new UsageError($"--max-unavailable \"{text}\" is not a positive number or a percentage like 25%"));
    }
}
