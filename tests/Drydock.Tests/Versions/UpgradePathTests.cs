using Drydock.Versions;

namespace Drydock.Tests.Versions;

public sealed class UpgradePathTests
{
    private static KubeVersion V(string s) => KubeVersion.Parse(s);

    private static readonly KubeVersion[] Known = [V("v1.28.15"), V("v1.28.14"), V("v1.29.10"), V("v1.30.6")];

    private static (IReadOnlyList<UpgradeHop> Hops, UpgradePathError? Error) Compute(string from, string to, UpgradePathOptions? options = null) =>
        UpgradePath.Compute(V(from), V(to), options ?? new(), minor => UpgradeCandidates.LatestOfMinor(Known, 1, minor));

    public static TheoryData<string, string, string[]> Paths => new()
    {
        { "v1.27.16", "v1.27.17", ["v1.27.16→v1.27.17"] },
        { "v1.27.16", "v1.28.15", ["v1.27.16→v1.28.15"] },
        { "v1.27.16", "v1.29.3", ["v1.27.16→v1.28.15", "v1.28.15→v1.29.3"] },
        { "v1.27.16", "v1.30.6", ["v1.27.16→v1.28.15", "v1.28.15→v1.29.10", "v1.29.10→v1.30.6"] },
        { "v1.27.16", "v1.27.16", [] },
    };

    [Theory, MemberData(nameof(Paths))]
    public void Should_go_one_minor_at_a_time(string from, string to, string[] expected)
    {
        // Given a cluster and a target / When a path is computed
        var (hops, error) = Compute(from, to);

        // Then each hop moves at most one minor, through the latest known release of the minor in between
        error.Should().BeNull();
        hops.Select(h => $"{h.From}→{h.To}").Should().Equal(expected);
    }

    public static TheoryData<string, string, UpgradePathOptions, string> Refusals => new()
    {
        { "v1.27.16", "v1.32.0", new(), "Specified version to upgrade to \"v1.32.0\" is too high; kubeadm can upgrade only 1 minor version at a time" },
        { "v1.29.3", "v1.27.0", new() { Force = true }, "Specified version to downgrade to \"v1.27.0\" is too low; kubeadm can downgrade only 1 minor version at a time" },
        { "v1.28.3", "v1.27.16", new(), "is lower than the cluster version \"v1.28.3\"" },
        { "v1.28.3", "v1.28.1", new(), "pass --force" },
        { "v1.28.3", "v1.29.0-rc.1", new(), "Specified version to upgrade to \"v1.29.0-rc.1\" is an unstable version and such upgrades weren't allowed via setting the --allow-*-upgrades flags" },
        { "v1.28.3", "v1.29.0-beta.0", new() { AllowReleaseCandidateUpgrades = true }, "is an unstable version" },
        { "v1.28.3", "v2.0.0", new(), "major version" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public void Should_refuse_with_kubeadms_reason(string from, string to, UpgradePathOptions options, string message)
    {
        var (hops, error) = Compute(from, to, options);

        hops.Should().BeEmpty();
        error.Should().NotBeNull();
        error!.Message.Should().Contain(message);
        error.ExitCode.Should().Be(2);
    }

    [Theory]
    [InlineData("v1.29.0-rc.1", false, true)]
    [InlineData("v1.29.0-alpha.2", true, false)]
    [InlineData("v1.29.0-rc.0", true, false)]
    public void Should_admit_pre_releases_with_kubeadms_flags(string target, bool experimental, bool rc)
    {
        var (hops, error) = Compute("v1.28.3", target, new() { AllowExperimentalUpgrades = experimental, AllowReleaseCandidateUpgrades = rc });

        error.Should().BeNull();
        hops.Should().ContainSingle().Which.To.Should().Be(V(target));
    }

    [Fact]
    public void Should_allow_a_one_minor_downgrade_with_force()
    {
        var (hops, error) = Compute("v1.28.3", "v1.27.16", new() { Force = true });

        error.Should().BeNull();
        hops.Should().ContainSingle();
    }
}
