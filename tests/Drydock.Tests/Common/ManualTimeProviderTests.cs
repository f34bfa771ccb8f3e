using Drydock.Common;

namespace Drydock.Tests.Common;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public async Task Should_complete_a_delay_only_when_the_clock_passes_it()
    {
        // Given a manual clock and a 5 s delay on it
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(5), time);

        // When the clock moves 4 s, then 1 s more
        time.Advance(TimeSpan.FromSeconds(4));
        delay.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        // Then the delay completes at exactly 5 s
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        delay.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public void Should_fire_periodic_timers_in_order()
    {
        var time = new ManualTimeProvider();
        var fired = new List<string>();
        using var a = time.CreateTimer(_ => fired.Add($"a@{time.GetUtcNow():ss}"), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var b = time.CreateTimer(_ => fired.Add($"b@{time.GetUtcNow():ss}"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(6));

        fired.Should().Equal("a@02", "b@03", "a@04", "a@06");
    }

    [Fact]
    public void Should_fire_timers_due_at_the_same_instant_in_the_order_they_were_set()
    {
        // Given three timers due at the same instant, the second one set again (to the same time) after the third
        var time = new ManualTimeProvider();
        var fired = new List<string>();
        using var a = time.CreateTimer(_ => fired.Add("a"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var b = time.CreateTimer(_ => fired.Add("b"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var c = time.CreateTimer(_ => { fired.Add("c"); time.CreateTimer(_ => fired.Add("d"), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan); },
            null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        b.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        // When the clock passes that instant
        time.Advance(TimeSpan.FromSeconds(10));

        // Then they fire in the order they were (last) set — never by hash or thread order — and a timer set while
        // firing for "now" fires in the same pass, after them
        fired.Should().Equal("a", "c", "b", "d");
    }
}
