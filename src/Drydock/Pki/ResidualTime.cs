using System.Globalization;

namespace Drydock.Pki;

/// <summary>kubeadm's text formats: apimachinery's ShortHumanDuration and Go's "Jan 02, 2006 15:04 MST".</summary>
public static class ResidualTime
{
    /// <summary>
    /// ShortHumanDuration (k8s.io/apimachinery/pkg/util/duration): under -1 s "&lt;invalid&gt;", under 0 "0s", then
    /// seconds, minutes, hours, days (under 365 d) and years, each truncated toward zero as Go's int() does.
    /// </summary>
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60) return $"{seconds}s";
        var minutes = (long)d.TotalMinutes;
        if (minutes < 60) return $"{minutes}m";
        var hours = (long)d.TotalHours;
        if (hours < 24) return $"{hours}h";
        if (hours < 24 * 365) return $"{hours / 24}d";
        return $"{(long)(d.TotalHours / 24 / 365)}y";
    }

    /// <summary>EXPIRES column: "Dec 30, 2020 23:36 UTC".</summary>
    public static string FormatExpires(DateTimeOffset when) =>
        when.ToUniversalTime().ToString(PkiConstants.ExpiresFormat, CultureInfo.InvariantCulture);
}
