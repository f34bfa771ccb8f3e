using System.Globalization;

namespace Drydock.Versions;

/// <summary>The parsing half of <see cref="KubeVersion"/>: total (every input gets a version or a reason).</summary>
internal static class KubeVersionParser
{
    public static KubeVersion? TryParse(string? text, out string error)
    {
        error = "";
        var s = text?.Trim() ?? "";
        if (s.Length == 0) { error = "empty version string (expected e.g. v1.28.3)"; return null; }
        var original = s;
        if (s[0] is 'v' or 'V') s = s[1..];
        // Package epochs ("1:1.28.3-1.1") occur in some rpm listings; the Kubernetes version follows the colon.
        var colon = s.IndexOf(':');
        if (colon >= 0 && int.TryParse(s.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out _)) s = s[(colon + 1)..];
        var plus = s.IndexOf('+');
        if (plus >= 0) s = s[..plus];
        string? suffix = null;
        var dash = s.IndexOf('-');
        if (dash >= 0) { suffix = s[(dash + 1)..]; s = s[..dash]; }
        var parts = s.Split('.');
        if (parts.Length != 3)
        {
            error = $"\"{original}\" is not a version: expected MAJOR.MINOR.PATCH such as v1.28.3";
            return null;
        }
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (parts[i].Length == 0 || parts[i].Length > 9 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                error = $"\"{original}\" is not a version: \"{parts[i]}\" is not a number (expected e.g. v1.28.3)";
                return null;
            }
        }
        string? pre = null, revision = null;
        if (suffix is not null)
        {
            if (suffix.Length == 0 || suffix.Split('.').Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c))))
            {
                error = $"\"{original}\" is not a version: bad suffix \"-{suffix}\"";
                return null;
            }
            // Kubernetes pre-releases start with a letter (alpha/beta/rc); a numeric suffix is a package revision.
            if (char.IsAsciiDigit(suffix[0]) && suffix.Split('.').All(p => p.All(char.IsAsciiDigit))) revision = suffix;
            else pre = suffix;
        }
        return new KubeVersion(numbers[0], numbers[1], numbers[2], pre) { PackageRevision = revision };
    }
}
