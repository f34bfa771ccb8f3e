using System.Diagnostics;
using Drydock.Common;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Rehearsal;

namespace Drydock.Sandbox.Tests.Rehearsal;

[Collection(RehearsalCollection.Name)]
public sealed class VirtualTimeDriverTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (ManualTimeProvider Clock, SandboxCluster Cluster, VirtualTimeDriver Driver) Create()
    {
        var clock = new ManualTimeProvider(Start);
        var cluster = new SandboxCluster(clock, new SandboxOptions { Tick = TimeSpan.FromHours(1) });
        return (clock, cluster, new VirtualTimeDriver(clock, cluster));
    }

    [Fact]
    public void Should_run_hours_of_waiting_in_virtual_time_at_the_exact_due_times()
    {
        // Given code that waits 6 hours in 360 one-minute steps on the manual clock
        var (clock, cluster, driver) = Create();
        using var _ = cluster;
        async Task<DateTimeOffset> Work(CancellationToken ct)
        {
            for (var i = 0; i < 360; i++) await Task.Delay(TimeSpan.FromMinutes(1), clock, ct);
            return clock.GetUtcNow();
        }

        // When the driver runs it
        var wall = Stopwatch.StartNew();
        var outcome = driver.Run(Work, Start + TimeSpan.FromDays(1));

        // Then it finishes at exactly +6h, in far less wall time
        outcome.Completed.Should().BeTrue();
        outcome.Value.Should().Be(Start + TimeSpan.FromHours(6));
        wall.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Should_stop_code_that_would_wait_forever_and_say_why()
    {
        // Given code that waits on something that never happens
        var (clock, cluster, driver) = Create();
        using var _ = cluster;
        var never = new TaskCompletionSource<int>();

        // When the driver runs it with a limit
        var outcome = driver.Run(async ct => { await never.Task.WaitAsync(ct); return 1; }, Start + TimeSpan.FromHours(48));

        // Then it is cancelled with a reason instead of hanging
        outcome.Completed.Should().BeFalse();
        outcome.StoppedBecause.Should().NotBeNullOrEmpty();
        outcome.Task.IsCanceled.Should().BeTrue();
    }

    [Fact]
    public void Should_stop_at_the_time_limit()
    {
        var (clock, cluster, driver) = Create();
        using var _ = cluster;
        driver.MarkStart();

        var outcome = driver.Run(async ct => { while (!ct.IsCancellationRequested) await Task.Delay(TimeSpan.FromMinutes(5), clock, ct); return 0; }, Start + TimeSpan.FromHours(2));

        outcome.StoppedBecause.Should().StartWith("time limit reached");
        outcome.At.Should().BeOnOrBefore(Start + TimeSpan.FromHours(2));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RehearsalCollection
{
    /// <summary>Rehearsals watch the thread pool to know when escaped work is done: they run alone.</summary>
    public const string Name = "rehearsal (not parallel)";
}
