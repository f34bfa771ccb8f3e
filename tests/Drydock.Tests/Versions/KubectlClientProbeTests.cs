using Drydock.Nodes.Local;
using Drydock.Versions;

namespace Drydock.Tests.Versions;

public sealed class KubectlClientProbeTests
{
    [Theory]
    [InlineData("""{"clientVersion":{"major":"1","minor":"28","gitVersion":"v1.28.15"},"kustomizeVersion":"v5.0.4"}""", "v1.28.15")]
    [InlineData("""{"clientVersion":{"gitVersion":"v1.29.3-eks-adc7111"}}""", "v1.29.3")]
    [InlineData("""{"clientVersion":{"gitVersion":"v1.27.16+k3s1"}}""", "v1.27.16")]
    public void Should_read_the_release_from_gitVersion(string json, string expected)
    {
        var probe = KubectlClientProbe.Parse("kubectl", json);

        probe.Version.Should().Be(KubeVersion.Parse(expected));
    }

    [Theory]
    [InlineData("""{"clientVersion":{"gitVersion":"v1.32.4-dispatcher"}}""", "is a version dispatcher (v1.32.4-dispatcher)")]
    [InlineData("""{"kustomizeVersion":"v5"}""", "printed no clientVersion.gitVersion")]
    [InlineData("Client Version: v1.28.1", "printed no clientVersion.gitVersion")]
    [InlineData("""{"clientVersion":{"gitVersion":"devel"}}""", "reports devel, not a version")]
    public void Should_not_check_what_has_no_version_of_its_own(string json, string note)
    {
        var probe = KubectlClientProbe.Parse("kubectl", json);

        probe.Version.Should().BeNull();
        probe.Note.Should().Contain(note).And.EndWith("not checked");
    }

    [Fact]
    public async Task Should_note_a_missing_kubectl_without_failing()
    {
        var probe = await KubectlClientProbe.RunAsync(new LocalNodeAgent("here", TimeProvider.System), "/nonexistent/kubectl");

        probe.Version.Should().BeNull();
        probe.Note.Should().Be("kubectl: /nonexistent/kubectl not found, not checked (--kubectl PATH to name one)");
    }

    [Fact]
    public async Task Should_run_the_machines_kubectl()
    {
        // Given the kubectl on this machine image (a real binary; the gcloud dispatcher on the build machines)
        var probe = await KubectlClientProbe.RunAsync(new LocalNodeAgent("here", TimeProvider.System), "kubectl");

        // Then it answered: a version, or the dispatcher note — never "not found" or a failure
        (probe.Version is not null || probe.Note.Contains("dispatcher")).Should().BeTrue(probe.Note);
    }
}
