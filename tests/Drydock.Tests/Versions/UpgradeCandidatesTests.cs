using Drydock.Versions;

namespace Drydock.Tests.Versions;

public sealed class UpgradeCandidatesTests
{
    private static KubeVersion V(string s) => KubeVersion.Parse(s);

    [Fact]
    public void Should_offer_the_latest_patch_and_the_latest_of_the_next_minor_like_kubeadm()
    {
        // Given a v1.27.16 cluster and what a repository offers
        var available = new[] { "v1.27.15", "v1.27.17", "v1.28.14", "v1.28.15", "v1.29.0-rc.1", "v1.29.2" }.Select(V);

        // When candidates are selected
        var c = UpgradeCandidates.Select(V("v1.27.16"), available, new UpgradePathOptions(), "test");

        // Then: latest patch of 1.27 and latest 1.28; never a skipped minor
        c.LatestPatch.Should().Be(V("v1.27.17"));
        c.NextMinor.Should().Be(V("v1.28.15"));
        c.Preferred.Should().Be(V("v1.28.15"));
    }

    [Fact]
    public void Should_skip_pre_releases_unless_allowed()
    {
        var available = new[] { V("v1.29.0-rc.1") };

        UpgradeCandidates.Select(V("v1.28.3"), available, new(), "t").Preferred.Should().BeNull();
        UpgradeCandidates.Select(V("v1.28.3"), available, new() { AllowReleaseCandidateUpgrades = true }, "t").NextMinor.Should().Be(V("v1.29.0-rc.1"));
    }
}
