using System.Globalization;
using System.Text;

namespace Drydock.Common;

/// <summary>
/// Go's time.ParseDuration / Duration.String — the syntax of kubectl's --timeout, etcdctl's timeouts and kubeadm's
/// validity periods ("90s", "1m30s", "1.5h", "8760h").
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses a flag's duration (surrounding spaces allowed); false for empty, unitless, unknown-unit or negative text.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        return !string.IsNullOrWhiteSpace(text) && TryParse(text.Trim(), out value, out _) && value >= TimeSpan.Zero;
    }

    /// <summary>Parses; on failure <paramref name="error"/> is Go's text, e.g. <c>time: missing unit in duration "5"</c>.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var s = text;
        var neg = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+')) { neg = s[0] == '-'; s = s[1..]; }
        if (s == "0") return true;
        if (s.Length == 0) { error = $"time: invalid duration \"{text}\""; return false; }
        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i || !double.TryParse(s[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                error = $"time: invalid duration \"{text}\"";
                return false;
            }
            var ustart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[ustart..i];
            if (unit.Length == 0) { error = $"time: missing unit in duration \"{text}\""; return false; }
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null) { error = $"time: unknown unit \"{unit}\" in duration \"{text}\""; return false; }
            ticks += n * match.Ticks;
        }
        value = TimeSpan.FromTicks((long)Math.Round(neg ? -ticks : ticks));
        return true;
    }

    /// <summary>Go's Duration.String for whole and fractional seconds: 12s, 1m30s, 1h0m0s, 1.5s, 0s.</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        if (d < TimeSpan.Zero) { sb.Append('-'); d = d.Negate(); }
        if (d < TimeSpan.FromSeconds(1)) return sb.Append(d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).Append("ms").ToString();
        var hours = (long)d.TotalHours;
        if (hours > 0) sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || d.Minutes > 0) sb.Append(d.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        var secs = d.Seconds + (d.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        sb.Append(secs.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
