using System.Globalization;

namespace Drydock.Kube.Inventory;

/// <summary>kubectl's AGE column: apimachinery's duration.HumanDuration (e.g. 45s, 7m30s, 5h12m, 81d, 2y30d).</summary>
public static class KubeDuration
{
    public static string Human(TimeSpan d)
    {
        static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{S(seconds)}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{S(minutes)}m" : $"{S(minutes)}m{S(seconds % 60)}s";
        if (minutes < 60 * 3) return $"{S(minutes)}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{S(hours)}h" : $"{S(hours)}h{S(minutes % 60)}m";
        if (hours < 48) return $"{S(hours)}h";
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{S(hours / 24)}d" : $"{S(hours / 24)}d{S(hours % 24)}h";
        if (hours < 24 * 365 * 2) return $"{S(hours / 24)}d";
        if (hours < 24 * 365 * 8) return (hours / 24) % 365 == 0 ? $"{S(hours / 24 / 365)}y" : $"{S(hours / 24 / 365)}y{S(hours / 24 % 365)}d";
        return $"{S(hours / 24 / 365)}y";
    }

    /// <summary>The age of an object created at <paramref name="created"/>, or &lt;unknown&gt; as kubectl prints.</summary>
    public static string Since(DateTimeOffset? created, DateTimeOffset now) => created is { } c ? Human(now - c) : "<unknown>";
}
