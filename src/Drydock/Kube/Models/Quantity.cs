using System.Globalization;

namespace Drydock.Kube.Models;

/// <summary>
/// resource.Quantity parsing ("500m", "2", "512Mi", "1.5Gi", "1e3"). CPU is returned in millicores,
/// everything else in base units (bytes for memory), both rounded up as the scheduler does.
/// </summary>
public static class Quantity
{
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        decimal mult = 1;
        string num = s;
        (string suffix, decimal m)[] suffixes =
        [
            ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
            ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
            ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m),
            ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m), ("E", 1000_000_000_000_000_000m),
        ];
        foreach (var (suffix, m) in suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal) && s.Length > suffix.Length)
            {
                num = s[..^suffix.Length];
                mult = m;
                break;
            }
        }
        if (!decimal.TryParse(num, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return false;
        value = n * mult;
        return true;
    }

    /// <summary>CPU quantity in millicores ("500m" → 500, "2" → 2000). Unparsable → 0.</summary>
    public static long ToMilli(string? text) => TryParse(text, out var v) ? (long)Math.Ceiling(v * 1000) : 0;

    /// <summary>A quantity in base units ("512Mi" → 536870912). Unparsable → 0.</summary>
    public static long ToUnits(string? text) => TryParse(text, out var v) ? (long)Math.Ceiling(v) : 0;
}
