using System.Globalization;

namespace Drydock.Sandbox.Kubeadm;

/// <summary>A Kubernetes release version (v1.27.16), ordered; package revisions (-1.1, -00) are dropped.</summary>
internal readonly record struct KubeVersion(int Major, int Minor, int Patch) : IComparable<KubeVersion>
{
    public static KubeVersion Parse(string text)
    {
        if (!TryParse(text, out var v)) throw new FormatException($"\"{text}\" is not a Kubernetes version (expected vX.Y.Z)");
        return v;
    }

    public static bool TryParse(string? text, out KubeVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().TrimStart('v');
        var dash = s.IndexOfAny(['-', '+']);
        if (dash >= 0) s = s[..dash];
        var parts = s.Split('.');
        if (parts.Length is < 2 or > 3) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        var patch = 0;
        if (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out patch)) return false;
        version = new KubeVersion(major, minor, patch);
        return true;
    }

    public string MinorString => $"{Major}.{Minor}";
    public int CompareTo(KubeVersion other) => (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
    public static bool operator <(KubeVersion a, KubeVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KubeVersion a, KubeVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KubeVersion a, KubeVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KubeVersion a, KubeVersion b) => a.CompareTo(b) >= 0;
    /// <summary>Without the leading v: 1.27.16.</summary>
    public string Plain => $"{Major}.{Minor}.{Patch}";
    public override string ToString() => $"v{Major}.{Minor}.{Patch}";
}
