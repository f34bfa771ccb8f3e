using Drydock.Versions;

namespace Drydock.Tests.Versions;

public sealed class PackageVersionListingTests
{
    [Fact]
    public void Should_parse_apt_cache_madison_from_the_old_repository()
    {
        // Given the seed guide's output of `apt-cache madison kubeadm`
        const string output = """
               kubeadm |  1.26.3-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages
               kubeadm |  1.26.2-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages
               kubeadm |  1.26.10-00 | https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages
            """;

        var versions = PackageVersionListing.ParseAptCacheMadison(output);

        versions.Select(v => v.Raw).Should().Equal("1.26.10-00", "1.26.3-00", "1.26.2-00");
        versions[0].Version.Should().Be(KubeVersion.Parse("v1.26.10"));
        versions[0].Repository.Should().Be("https://apt.kubernetes.io kubernetes-xenial/main amd64 Packages");
    }

    [Fact]
    public void Should_parse_apt_cache_madison_from_pkgs_k8s_io_and_skip_other_lines()
    {
        const string output = "N: Unable to locate package foo\n   kubeadm | 1.28.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n   kubeadm | 1.28.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n   kubelet | 1.28.9-1.1 | x\n";

        PackageVersionListing.ParseAptCacheMadison(output).Select(v => v.Version.ToString()).Should().Equal("v1.28.4", "v1.28.3");
    }

    [Fact]
    public void Should_parse_yum_list_showduplicates_with_installed_and_wrapped_lines()
    {
        // Given yum output with an installed package and a name wrapped onto its own line
        const string output = """
            Last metadata expiration check: 0:00:12 ago on Sun 22 Nov 2026 00:10:00 UTC.
            Installed Packages
            kubeadm.x86_64                1.28.2-150500.1.1                 @kubernetes
            Available Packages
            kubeadm.x86_64                1.28.0-150500.1.1                 kubernetes
            kubeadm.x86_64
                                          1.28.3-150500.1.1                 kubernetes
            kubeadm.x86_64                1.18.0-0                          kubernetes
            """;

        var versions = PackageVersionListing.ParseYumListShowDuplicates(output);

        versions.Select(v => v.Version.ToString()).Should().Equal("v1.28.3", "v1.28.2", "v1.28.0", "v1.18.0");
        versions.Single(v => v.Installed).Raw.Should().Be("1.28.2-150500.1.1");
        versions.Single(v => v.Installed).Repository.Should().Be("kubernetes");
    }

    [Fact]
    public void Should_return_nothing_for_unrelated_output() =>
        PackageVersionListing.ParseYumListShowDuplicates("Error: No matching Packages to list\n").Should().BeEmpty();
}
