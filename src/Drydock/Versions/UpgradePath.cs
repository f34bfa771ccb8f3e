using Drydock.Common;

namespace Drydock.Versions;

/// <summary>kubeadm's override flags, under kubeadm's names (cmd/kubeadm/app/cmd/upgrade/apply.go).</summary>
public sealed record UpgradePathOptions
{
    /// <summary><c>--allow-experimental-upgrades</c>: admit any alpha/beta/rc target.</summary>
    public bool AllowExperimentalUpgrades { get; init; }
    /// <summary><c>--allow-release-candidate-upgrades</c>: admit rc targets only.</summary>
    public bool AllowReleaseCandidateUpgrades { get; init; }
    /// <summary><c>--force</c>: accept what kubeadm calls "skippable" version errors (here: a downgrade of at most one minor).</summary>
    public bool Force { get; init; }
}

/// <summary>One <c>kubeadm upgrade apply</c> worth of change: never more than one minor.</summary>
public sealed record UpgradeHop(KubeVersion From, KubeVersion To);

/// <summary>A target refused for a version reason (exit 2: nothing was touched, the input must change).</summary>
public sealed record UpgradePathError(string Message) : DrydockError(Message)
{
    public override int ExitCode => 2;
}

/// <summary>
/// Upgrades go one minor at a time (version skew policy, "Supported component upgrade order"; kubeadm's
/// MaximumAllowedMinorVersionUpgradeSkew = 1). A target several minors ahead becomes several hops, each through the
/// latest known release of the minor in between. Messages quote kubeadm's policy.go where kubeadm has one.
/// </summary>
public static class UpgradePath
{
    /// <param name="latestReleaseOfMinor">The newest known release of a minor (package repository or stable-1.Y.txt), or null.</param>
    public static (IReadOnlyList<UpgradeHop> Hops, UpgradePathError? Error) Compute(
        KubeVersion current, KubeVersion target, UpgradePathOptions options, Func<int, KubeVersion?> latestReleaseOfMinor)
    {
        if (target.IsPreRelease && !options.AllowExperimentalUpgrades &&
            !(options.AllowReleaseCandidateUpgrades && target.PreRelease!.StartsWith("rc", StringComparison.Ordinal)))
            return Fail($"Specified version to upgrade to \"{target}\" is an unstable version and such upgrades weren't allowed via setting the --allow-*-upgrades flags");
        if (target.Major != current.Major)
            return Fail($"Specified version \"{target}\" changes the major version of {current}; Kubernetes has no supported path across major versions");
        if (target.Equals(current)) return ([], null);
        if (target < current)
        {
            if (current.MinorsAhead(target) > 1)
                return Fail($"Specified version to downgrade to \"{target}\" is too low; kubeadm can downgrade only 1 minor version at a time");
            if (!options.Force)
                return Fail($"Specified version \"{target}\" is lower than the cluster version \"{current}\"; a downgrade leaves kubelets newer than the API server (pass --force to plan it anyway)");
            return ([new UpgradeHop(current, target)], null);
        }
        var hops = new List<UpgradeHop>();
        var from = current;
        for (var minor = current.Minor + 1; minor < target.Minor; minor++)
        {
            var via = latestReleaseOfMinor(minor);
            if (via is null || via.Minor != minor || via.IsPreRelease)
                return Fail($"Specified version to upgrade to \"{target}\" is too high; kubeadm can upgrade only 1 minor version at a time, " +
                            $"and no v{current.Major}.{minor} release is known to pass through (upgrade to a v{current.Major}.{minor}.x first, or let drydock read release markers with --release-url)");
            hops.Add(new UpgradeHop(from, via));
            from = via;
        }
        hops.Add(new UpgradeHop(from, target));
        return (hops, null);

        static (IReadOnlyList<UpgradeHop>, UpgradePathError?) Fail(string message) => ([], new UpgradePathError(message));
    }
}
