using Drydock.Pki;

namespace Drydock.Tests.Pki;

public class ResidualTimeTests
{
    public static TheoryData<string, TimeSpan, string> Durations => new()
    {
        { "long expired", TimeSpan.FromDays(-3), "<invalid>" },
        { "two seconds ago", TimeSpan.FromSeconds(-2), "<invalid>" },
        { "just under -1 s truncates to -1", TimeSpan.FromSeconds(-1.9), "0s" },
        { "half a second ago", TimeSpan.FromSeconds(-0.5), "0s" },
        { "zero", TimeSpan.Zero, "0s" },
        { "seconds", TimeSpan.FromSeconds(59.9), "59s" },
        { "one minute", TimeSpan.FromSeconds(60), "1m" },
        { "minutes truncate", new TimeSpan(0, 59, 59), "59m" },
        { "one hour", TimeSpan.FromHours(1), "1h" },
        { "hours truncate", new TimeSpan(23, 59, 59), "23h" },
        { "one day", TimeSpan.FromHours(24), "1d" },
        { "ten days", TimeSpan.FromDays(10) + TimeSpan.FromHours(5), "10d" },
        { "a year minus a bit", TimeSpan.FromDays(365) - TimeSpan.FromMinutes(1), "364d" },
        { "a year", TimeSpan.FromDays(365), "1y" },
        { "CA almost ten years", TimeSpan.FromDays(3649), "9y" },
        { "CA ten years", TimeSpan.FromDays(3650), "10y" },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Should_format_like_ShortHumanDuration(string because, TimeSpan residual, string expected)
    {
        // Given a residual time / When formatted / Then it matches apimachinery's ShortHumanDuration
        ResidualTime.Format(residual).Should().Be(expected, because);
    }

    [Fact]
    public void Should_format_expires_with_go_layout()
    {
        // Given a UTC instant (and the same instant in another offset)
        var when = new DateTimeOffset(2020, 12, 30, 23, 36, 12, TimeSpan.Zero);

        // Then it prints as kubeadm's "Jan 02, 2006 15:04 MST", in UTC
        ResidualTime.FormatExpires(when).Should().Be("Dec 30, 2020 23:36 UTC");
        ResidualTime.FormatExpires(when.ToOffset(TimeSpan.FromHours(9))).Should().Be("Dec 30, 2020 23:36 UTC");
        ResidualTime.FormatExpires(new DateTimeOffset(2024, 1, 2, 3, 4, 0, TimeSpan.Zero)).Should().Be("Jan 02, 2024 03:04 UTC");
    }
}
