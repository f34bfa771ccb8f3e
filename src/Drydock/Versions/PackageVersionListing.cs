namespace Drydock.Versions;

/// <summary>One version a package repository offers, as the package manager spells it and as a Kubernetes version.</summary>
public sealed record PackageVersion(string Package, string Raw, KubeVersion Version, string Repository, bool Installed = false);

/// <summary>
/// Pure parsers for the package-manager listings the upgrade guides use to "determine which version to upgrade to".
/// The SSH transport runs the commands; these turn their stdout into versions. Unparsable lines are skipped
/// (headers, "Last metadata expiration check", wrapped continuation lines are re-joined).
/// </summary>
public static class PackageVersionListing
{
    /// <summary>
    /// <c>apt-cache madison kubeadm</c>: "   kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages"
    /// or "   kubeadm | 1.28.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages". Newest first, as apt prints.
    /// </summary>
    public static IReadOnlyList<PackageVersion> ParseAptCacheMadison(string output, string package = "kubeadm")
    {
        var result = new List<PackageVersion>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Split('|');
            if (fields.Length < 3 || fields[0].Trim() != package) continue;
            var raw = fields[1].Trim();
            var v = KubeVersion.TryParse(raw, out _);
            if (v is not null) result.Add(new PackageVersion(package, raw, v, fields[2].Trim()));
        }
        return result.OrderByDescending(p => p.Version).ToList();
    }

    /// <summary>
    /// <c>yum list --showduplicates kubeadm --disableexcludes=kubernetes</c> (also dnf):
    /// "kubeadm.x86_64   1.28.2-150500.1.1   kubernetes" under "Installed Packages" / "Available Packages";
    /// a repository starting with '@' is the installed one. yum wraps a long name onto its own line: re-joined.
    /// </summary>
    public static IReadOnlyList<PackageVersion> ParseYumListShowDuplicates(string output, string package = "kubeadm")
    {
        var result = new List<PackageVersion>();
        var installedSection = false;
        string? pending = null;
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("Installed Packages", StringComparison.Ordinal)) { installedSection = true; continue; }
            if (line.StartsWith("Available Packages", StringComparison.Ordinal)) { installedSection = false; continue; }
            var tokens = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (pending is not null) { tokens = [pending, .. tokens]; pending = null; }
            if (tokens.Length == 1 && IsPackageName(tokens[0], package)) { pending = tokens[0]; continue; }
            if (tokens.Length < 3 || !IsPackageName(tokens[0], package)) continue;
            var v = KubeVersion.TryParse(tokens[1], out _);
            if (v is null) continue;
            var repo = tokens[2];
            result.Add(new PackageVersion(package, tokens[1], v, repo.TrimStart('@'), installedSection || repo.StartsWith('@')));
        }
        return result.OrderByDescending(p => p.Version).ToList();
    }

    private static bool IsPackageName(string token, string package) =>
        token == package || token.StartsWith(package + ".", StringComparison.Ordinal);
}
