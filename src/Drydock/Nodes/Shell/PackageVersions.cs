using System.Text.RegularExpressions;

namespace Drydock.Nodes.Shell;

/// <summary>
/// Parsers for what the package managers print (seed 004 "确定升级版本"): <c>apt-cache madison kubeadm</c> and
/// <c>yum list --showduplicates kubeadm</c>. Versions come back without the package revision, newest first.
/// (Kept here until Versions/ has its own; they are pure and small.)
/// </summary>
public static partial class PackageVersions
{
    /// <summary>"1.28.4-1.1" → "1.28.4", "1.26.3-00" → "1.26.3", "1.28.4-150500.1.1" → "1.28.4", "1:1.28.4-0" → "1.28.4".</summary>
    public static string StripRevision(string packageVersion)
    {
        var v = packageVersion.Trim();
        var colon = v.IndexOf(':');
        if (colon >= 0) v = v[(colon + 1)..];
        var dash = v.IndexOf('-');
        return dash >= 0 ? v[..dash] : v;
    }

    /// <summary><c>   kubeadm | 1.28.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages</c>.</summary>
    public static IReadOnlyList<string> ParseMadison(string output) => Distinct(
        output.Split('\n').Select(l => l.Split('|')).Where(c => c.Length >= 3).Select(c => c[1]));

    /// <summary><c>kubeadm.x86_64    1.28.4-150500.1.1    kubernetes</c> rows under "Available/Installed Packages".</summary>
    public static IReadOnlyList<string> ParseYumList(string output, string package) => Distinct(
        output.Split('\n').Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(c => c.Length >= 2 && (c[0] == package || c[0].StartsWith(package + ".", StringComparison.Ordinal)))
            .Select(c => c[1]));

    private static IReadOnlyList<string> Distinct(IEnumerable<string> raw) => raw
        .Select(StripRevision).Where(v => Semver().IsMatch(v)).Distinct()
        .OrderByDescending(v => v, Comparer<string>.Create(Compare)).ToList();

    public static int Compare(string a, string b)
    {
        var x = a.Split('.').Select(int.Parse).ToArray();
        var y = b.Split('.').Select(int.Parse).ToArray();
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i]) return x[i].CompareTo(y[i]);
        return x.Length.CompareTo(y.Length);
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex Semver();
}
