using System.Text;
using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

/// <summary>
/// The smart portfolio stops a candidate's simulation once its batches cost more than the best finished candidate
/// (<see cref="ScheduleSimulation.Cutoff"/>). A run that stays within its cutoff must be exactly the run without one,
/// and a run that passes it must say so, since its batches are then incomplete.
/// </summary>
public sealed class PortfolioCutoffTests
{
    private static readonly NodeTimeModel Time = new() { FixedPerNode = TimeSpan.FromSeconds(90), PodStart = TimeSpan.FromSeconds(10) };

    public static TheoryData<string> Strategies => ["smart", "packed", "fixed"];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Should_run_unchanged_up_to_its_cutoff_and_stop_past_it(string strategy)
    {
        // Given a seeded random cluster and the full schedule of one candidate
        var dense = new DenseInput(ScheduleGoldenHashTests.RandomCluster(2, 120, 20, 1.0));
        var options = new BatchingOptions { MaxUnavailable = 3, Strategy = BatchStrategyKind.Smart, Time = Time };
        var full = Run(new ScheduleSimulation(dense, options), strategy);
        var total = Total(full);
        full.Count.Should().BeGreaterThan(2);

        // When it runs again with its own total as the cutoff
        var atTotal = new ScheduleSimulation(dense, options) { Cutoff = total };
        var same = Run(atTotal, strategy);

        // Then it finishes with exactly the same batches
        atTotal.Abandoned.Should().BeFalse();
        Describe(same).Should().Be(Describe(full));

        // When the cutoff is below its total
        var below = new ScheduleSimulation(dense, options) { Cutoff = total - full[^1].EstimatedDuration - TimeSpan.FromTicks(1) };
        var partial = Run(below, strategy);

        // Then it stops once past it, before the last batch
        below.Abandoned.Should().BeTrue();
        partial.Count.Should().BeLessThan(full.Count);
        Total(partial).Should().BeGreaterThan(below.Cutoff);
    }

    private static IReadOnlyList<Batch> Run(ScheduleSimulation simulation, string strategy) => strategy switch
    {
        "smart" => simulation.Smart(WaitTolerance.None),
        "packed" => simulation.Packed(),
        _ => simulation.InOrder(3),
    };

    private static TimeSpan Total(IReadOnlyList<Batch> batches) => batches.Aggregate(TimeSpan.Zero, (t, b) => t + b.EstimatedDuration);

    private static string Describe(IReadOnlyList<Batch> batches)
    {
        var text = new StringBuilder();
        ScheduleGoldenHashTests.Describe(text, BatchStrategyKind.Smart, 3, new BatchSchedule { Strategy = BatchStrategyKind.Smart, Batches = batches, LowerBound = TimeSpan.Zero });
        return text.ToString();
    }
}
