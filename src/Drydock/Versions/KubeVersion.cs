using System.Globalization;

namespace Drydock.Versions;

/// <summary>
/// A Kubernetes version: <c>v1.28.3</c>, <c>1.28.3</c>, a package version (<c>1.28.3-00</c> old apt repo,
/// <c>1.28.3-1.1</c> pkgs.k8s.io deb, <c>1.28.3-0</c> / <c>1.28.3-150500.1.1</c> rpm) or a pre-release
/// (<c>v1.29.0-alpha.1</c> &lt; <c>-beta.0</c> &lt; <c>-rc.1</c> &lt; <c>v1.29.0</c>). Ordered as semver orders it;
/// a purely numeric suffix is a package revision (kept in <see cref="PackageRevision"/>, ignored by ordering),
/// because Kubernetes pre-releases are always alpha/beta/rc. Build metadata (<c>+abc</c>) is dropped.
/// </summary>
public sealed record KubeVersion : IComparable<KubeVersion>
{
    public int Major { get; init; }
    public int Minor { get; init; }
    public int Patch { get; init; }
    /// <summary>"alpha.1", "rc.0"; null for a release.</summary>
    public string? PreRelease { get; init; }
    /// <summary>The package manager's revision ("00", "1.1", "0"); null when not a package version.</summary>
    public string? PackageRevision { get; init; }

    public KubeVersion(int major, int minor, int patch, string? preRelease = null)
    {
        Major = major; Minor = minor; Patch = patch; PreRelease = preRelease;
    }

    public bool IsPreRelease => PreRelease is not null;

    /// <summary>"1.28" — the key of pkgs.k8s.io repositories and of stable-1.28.txt.</summary>
    public string MinorString => $"{Major}.{Minor}";

    /// <summary>"1.28.3" or "1.29.0-rc.1": the form NodeStep package versions use (no "v", no revision).</summary>
    public string Bare => PreRelease is null ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{PreRelease}";

    /// <summary>The first release of a minor, "v1.28.0".</summary>
    public KubeVersion WithMinor(int minor) => new(Major, minor, 0);

    /// <summary>How many minors this version is ahead of <paramref name="other"/> (negative when behind).</summary>
    public int MinorsAhead(KubeVersion other) => Major == other.Major ? Minor - other.Minor : (Major - other.Major) * 100;

    public bool SameMinor(KubeVersion other) => Major == other.Major && Minor == other.Minor;

    /// <summary>"v1.28.3" (package revision and build metadata dropped).</summary>
    public override string ToString() => "v" + Bare;

    public int CompareTo(KubeVersion? other)
    {
        if (other is null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c != 0) return c;
        c = Minor.CompareTo(other.Minor);
        if (c != 0) return c;
        c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        return ComparePreRelease(PreRelease, other.PreRelease);
    }

    /// <summary>Equality ignores the package revision: 1.28.3-00 and v1.28.3 are the same Kubernetes version.</summary>
    public bool Equals(KubeVersion? other) => other is not null && CompareTo(other) == 0;

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, PreRelease);

    public static bool operator <(KubeVersion a, KubeVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(KubeVersion a, KubeVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(KubeVersion a, KubeVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(KubeVersion a, KubeVersion b) => a.CompareTo(b) >= 0;

    /// <summary>Semver §11: a release sorts above its pre-releases; identifiers compare numerically when both are numbers.</summary>
    private static int ComparePreRelease(string? a, string? b)
    {
        if (a is null) return b is null ? 0 : 1;
        if (b is null) return -1;
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            var na = int.TryParse(pa[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ia);
            var nb = int.TryParse(pb[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ib);
            var c = (na, nb) switch
            {
                (true, true) => ia.CompareTo(ib),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(pa[i], pb[i]),
            };
            if (c != 0) return Math.Sign(c);
        }
        return pa.Length.CompareTo(pb.Length);
    }

    /// <summary>Parses, or returns null with a one-line reason (never throws).</summary>
    public static KubeVersion? TryParse(string? text, out string error) => KubeVersionParser.TryParse(text, out error);

    /// <summary>Parses or throws <see cref="Common.DrydockException"/> with a <see cref="Common.UsageError"/> (exit 2).</summary>
    public static KubeVersion Parse(string? text, string what = "version") =>
        TryParse(text, out var error) ?? throw new Common.DrydockException(new Common.UsageError($"invalid {what}: {error}"));
}
