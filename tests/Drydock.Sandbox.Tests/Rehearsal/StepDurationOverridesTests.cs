using Drydock.Sandbox.Rehearsal;

namespace Drydock.Sandbox.Tests.Rehearsal;

public sealed class StepDurationOverridesTests
{
    [Theory]
    [InlineData("kubeadm-node=45s", "kubeadm-node", 45)]
    [InlineData("POD-START=2m", "pod-start", 120)]
    [InlineData(" install-packages = 1m30s ", "install-packages", 90)]
    [InlineData("kubelet-restart=0s", "kubelet-restart", 0)]
    public void Should_parse_name_equals_go_duration(string item, string name, int seconds)
    {
        StepDurationOverrides.TryParse([item], out var o, out var error).Should().BeTrue(error);

        o.Values.Should().ContainKey(name).WhoseValue.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("kubeadm-node", "expected NAME=DURATION")]
    [InlineData("=45s", "expected NAME=DURATION")]
    [InlineData("reboot=5m", "unknown step reboot")]
    [InlineData("kubeadm-node=fast", "fast is not a duration")]
    [InlineData("kubeadm-node=-5s", "is not a duration")]
    public void Should_refuse_bad_items_with_one_line(string item, string message)
    {
        StepDurationOverrides.TryParse([item], out _, out var error).Should().BeFalse();

        error.Should().Contain(message).And.NotContain("\n");
    }

    [Fact]
    public void Should_replace_only_the_named_steps_in_every_profile()
    {
        // Given an override of kubeadm-node and pod-start
        StepDurationOverrides.TryParse(["kubeadm-node=45s", "pod-start=1m"], out var o, out _).Should().BeTrue();

        foreach (var profile in new[] { RehearsalProfile.Low, RehearsalProfile.Typical, RehearsalProfile.High })
        {
            // When it is laid over the profile
            var p = o.Apply(profile);

            // Then the stated steps take the stated time in low, typical and high alike; the others keep the profile's
            p.KubeadmNode.Should().Be(TimeSpan.FromSeconds(45));
            p.PodStart.Should().Be(TimeSpan.FromMinutes(1));
            p.KubeadmApply.Should().Be(profile.KubeadmApply);
            p.InstallPackages.Should().Be(profile.InstallPackages);
            p.Name.Should().Be($"{profile.Name} (kubeadm-node=45s, pod-start=1m0s)");
        }
        StepDurationOverrides.None.Apply(RehearsalProfile.Typical).Should().BeSameAs(RehearsalProfile.Typical);
    }
}
