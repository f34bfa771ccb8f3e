using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>Timestamps are written as Kubernetes writes them (RFC 3339, whole seconds, UTC), one text per second.</summary>
public sealed class ObjTimeTests
{
    [Fact]
    public void Should_write_whole_utc_seconds_and_hand_out_one_text_per_second()
    {
        var t = new DateTimeOffset(2026, 3, 1, 12, 0, 5, 250, TimeSpan.FromHours(2));

        var first = Obj.Time(t);
        var sameSecond = Obj.Time(t.AddMilliseconds(700));
        var nextSecond = Obj.Time(t.AddMilliseconds(750));
        var back = Obj.Time(t);

        first.Should().Be("2026-03-01T10:00:05Z");
        sameSecond.Should().BeSameAs(first);
        nextSecond.Should().Be("2026-03-01T10:00:06Z");
        back.Should().Be(first);
        Obj.Time(t.AddDays(-1)).Should().Be("2026-02-28T10:00:05Z");
    }
}
