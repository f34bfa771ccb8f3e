namespace Drydock.Versions;

/// <summary>
/// What kubeadm offers (phases/upgrade/compute.go): the latest patch of the cluster's minor, and the latest release
/// of the next minor. Pre-releases only with the kubeadm flags that admit them.
/// </summary>
public sealed record UpgradeCandidates
{
    public KubeVersion? LatestPatch { get; init; }
    public KubeVersion? NextMinor { get; init; }
    /// <summary>Where the versions came from ("release markers at https://dl.k8s.io/release", "package repository on cp-1").</summary>
    public string Source { get; init; } = "";

    /// <summary>The default target: the next minor when one exists, else the latest patch; null when up to date.</summary>
    public KubeVersion? Preferred => NextMinor ?? LatestPatch;

    public static UpgradeCandidates Select(KubeVersion current, IEnumerable<KubeVersion> available, UpgradePathOptions options, string source)
    {
        var usable = available.Where(v => !v.IsPreRelease || options.AllowExperimentalUpgrades ||
                                          (options.AllowReleaseCandidateUpgrades && v.PreRelease!.StartsWith("rc", StringComparison.Ordinal)))
                              .ToList();
        return new UpgradeCandidates
        {
            LatestPatch = usable.Where(v => v.SameMinor(current) && v > current).DefaultIfEmpty().Max(),
            NextMinor = usable.Where(v => v.Major == current.Major && v.Minor == current.Minor + 1).DefaultIfEmpty().Max(),
            Source = source,
        };
    }

    /// <summary>The newest release of a given minor in a list (for intermediate hops).</summary>
    public static KubeVersion? LatestOfMinor(IEnumerable<KubeVersion> available, int major, int minor) =>
        available.Where(v => v.Major == major && v.Minor == minor && !v.IsPreRelease).DefaultIfEmpty().Max();
}
