using Drydock.Common;
using Drydock.Versions;

namespace Drydock.Tests.Versions;

public sealed class KubeVersionTests
{
    public sealed class TryParse
    {
        public static TheoryData<string, string, string?> Valid => new()
        {
            { "v1.28.3", "v1.28.3", null },
            { "1.28.3", "v1.28.3", null },
            { "  v1.28.3\n", "v1.28.3", null },
            { "1.28.3-00", "v1.28.3", "00" },                 // old apt.kubernetes.io
            { "1.28.3-1.1", "v1.28.3", "1.1" },               // pkgs.k8s.io deb
            { "1.28.3-0", "v1.28.3", "0" },                   // old yum repo
            { "1.28.3-150500.1.1", "v1.28.3", "150500.1.1" }, // pkgs.k8s.io rpm
            { "v1.29.0-alpha.1", "v1.29.0-alpha.1", null },
            { "v1.29.0-rc.1", "v1.29.0-rc.1", null },
            { "v1.28.3+abc123", "v1.28.3", null },
            { "V1.28.3", "v1.28.3", null },
        };

        [Theory, MemberData(nameof(Valid))]
        public void Should_parse_kubernetes_and_package_versions(string text, string expected, string? revision)
        {
            // Given a version as kubectl, apt or yum prints it / When parsed
            var v = KubeVersion.TryParse(text, out var error);

            // Then it is the Kubernetes version, with the package revision kept apart
            v.Should().NotBeNull(error);
            v!.ToString().Should().Be(expected);
            v.PackageRevision.Should().Be(revision);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        [InlineData("1.x")]
        [InlineData("latest-ish")]
        [InlineData("v1.28")]
        [InlineData("1.28.3.4")]
        [InlineData("v1.28.-1")]
        [InlineData("1.28.3-")]
        [InlineData("1.28.3-rc..1")]
        [InlineData("v99999999999.1.1")]
        [InlineData("v1.28.3-al/pha")]
        public void Should_return_a_reason_for_garbage_without_throwing(string? text)
        {
            // Given garbage / When parsed
            var v = KubeVersion.TryParse(text, out var error);

            // Then there is no version and a one-line reason
            v.Should().BeNull();
            error.Should().NotBeNullOrWhiteSpace().And.NotContain("\n");
        }

        [Fact]
        public void Should_throw_a_usage_error_from_Parse()
        {
            var act = () => KubeVersion.Parse("1.x", "--to version");
            act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>()
               .Which.Message.Should().Contain("invalid --to version").And.Contain("1.x");
        }
    }

    public sealed class Ordering
    {
        public static TheoryData<string, string> Ascending => new()
        {
            { "v1.29.0-alpha.1", "v1.29.0-alpha.2" },
            { "v1.29.0-alpha.2", "v1.29.0-beta.0" },
            { "v1.29.0-beta.0", "v1.29.0-rc.1" },
            { "v1.29.0-rc.1", "v1.29.0" },
            { "v1.29.0-alpha.9", "v1.29.0-alpha.10" },
            { "v1.28.9", "v1.28.10" },
            { "v1.28.15", "v1.29.0-alpha.0" },
            { "1.27.16-1.1", "1.28.0-00" },
            { "v1.9.0", "v1.10.0" },
        };

        [Theory, MemberData(nameof(Ascending))]
        public void Should_order_like_semver(string lower, string higher)
        {
            var a = KubeVersion.Parse(lower);
            var b = KubeVersion.Parse(higher);
            (a < b).Should().BeTrue();
            (b > a).Should().BeTrue();
            a.CompareTo(b).Should().BeNegative();
        }

        [Fact]
        public void Should_treat_package_revisions_as_the_same_version()
        {
            KubeVersion.Parse("1.28.3-00").Should().Be(KubeVersion.Parse("v1.28.3"));
            KubeVersion.Parse("1.28.3-1.1").GetHashCode().Should().Be(KubeVersion.Parse("1.28.3-0").GetHashCode());
        }

        [Fact]
        public void Should_sort_a_mixed_list()
        {
            var sorted = new[] { "v1.29.0", "v1.29.0-rc.1", "1.28.3-00", "v1.29.0-alpha.1", "v1.29.0-beta.0" }
                .Select(s => KubeVersion.Parse(s)).Order().Select(v => v.ToString());
            sorted.Should().Equal("v1.28.3", "v1.29.0-alpha.1", "v1.29.0-beta.0", "v1.29.0-rc.1", "v1.29.0");
        }
    }
}
