using System.Text;
using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

/// <summary>
/// The smart portfolio simulates the tolerant greedy only when the strict one met a node the two tolerances judge
/// differently (<see cref="ScheduleSimulation.OtherToleranceDiffers"/>). These pin the premise: whenever the flag
/// stays false, the tolerant run's schedule is exactly the strict one's.
/// </summary>
public sealed class SmartToleranceTests
{
    private static readonly NodeTimeModel Time = new() { FixedPerNode = TimeSpan.FromSeconds(90), PodStart = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Should_repeat_the_strict_schedule_whenever_no_node_was_judged_differently()
    {
        // Given seeded random clusters, loose and tight, at several max-unavailable
        var same = 0;
        var differs = 0;
        foreach (var (seed, nodes, podsPerNode, room) in new[] { (1, 60, 12, 1.0), (2, 120, 20, 1.0), (3, 80, 25, 0.55), (5, 40, 6, 1.0), (6, 30, 3, 1.5) })
        {
            var dense = new DenseInput(ScheduleGoldenHashTests.RandomCluster(seed, nodes, podsPerNode, room));
            foreach (var k in new[] { 1, 2, 3, 10 })
            {
                var options = new BatchingOptions { MaxUnavailable = k, Strategy = BatchStrategyKind.Smart, Time = Time };

                // When the strict greedy runs, and the tolerant one on its own simulation
                var strictRun = new ScheduleSimulation(dense, options);
                var strict = Describe(strictRun.Smart(WaitTolerance.None), k);
                var tolerant = Describe(new ScheduleSimulation(dense, options).Smart(WaitTolerance.ShareOfBatch), k);

                // Then an unflagged run means the same schedule
                if (strictRun.OtherToleranceDiffers) differs++;
                else
                {
                    tolerant.Should().Be(strict, $"seed {seed}, max-unavailable {k}: no node was judged differently");
                    same++;
                }
            }
        }
        // And both cases were met, so the check above is not vacuous
        same.Should().BePositive();
        differs.Should().BePositive();
    }

    [Fact]
    public void Should_flag_a_run_whose_schedule_the_other_tolerance_changes()
    {
        // Given clusters where the tolerant greedy's schedule differs from the strict one's
        var seen = 0;
        foreach (var seed in Enumerable.Range(1, 12))
        {
            var dense = new DenseInput(ScheduleGoldenHashTests.RandomCluster(seed, 80, 12, 1.0));
            foreach (var k in new[] { 2, 3, 10 })
            {
                var options = new BatchingOptions { MaxUnavailable = k, Strategy = BatchStrategyKind.Smart, Time = Time };
                var strictRun = new ScheduleSimulation(dense, options);
                var strict = Describe(strictRun.Smart(WaitTolerance.None), k);
                if (strict == Describe(new ScheduleSimulation(dense, options).Smart(WaitTolerance.ShareOfBatch), k)) continue;

                // Then the strict run says so
                strictRun.OtherToleranceDiffers.Should().BeTrue($"seed {seed}, max-unavailable {k}");
                seen++;
            }
        }
        seen.Should().BePositive();
    }

    private static string Describe(IReadOnlyList<Batch> batches, int k)
    {
        var text = new StringBuilder();
        ScheduleGoldenHashTests.Describe(text, BatchStrategyKind.Smart, k, new BatchSchedule { Strategy = BatchStrategyKind.Smart, Batches = batches, LowerBound = TimeSpan.Zero });
        return text.ToString();
    }
}
