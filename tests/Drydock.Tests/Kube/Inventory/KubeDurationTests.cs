using Drydock.Kube.Inventory;

namespace Drydock.Tests.Kube.Inventory;

public sealed class KubeDurationTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-0.5, "0s")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(450, "7m30s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 3600 + 12 * 60, "5h12m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(81 * 86400, "81d")]
    [InlineData(2 * 365 * 86400 + 30 * 86400, "2y30d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Should_print_ages_as_kubectl_does(double seconds, string expected)
    {
        // Given an age / When formatting it / Then it matches apimachinery's HumanDuration
        KubeDuration.Human(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
    }
}
