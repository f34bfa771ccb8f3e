using Drydock.Sandbox.Rehearsal;
using Drydock.Sandbox.Tests.Support;
using Drydock.Scheduling;

namespace Drydock.Sandbox.Tests.Rehearsal;

[Collection(RehearsalCollection.Name)]
public sealed class RehearsalEngineTests
{
    private static RehearsalOptions FixtureOptions(BatchStrategyKind strategy = BatchStrategyKind.Smart) => new()
    {
        To = "v1.28.15", MaxUnavailable = 2, Strategy = strategy, Range = false, Force = true, DeleteEmptyDirData = true,
        StallLimit = TimeSpan.FromMinutes(20),
    };

    [Fact]
    public void Should_report_the_payments_pdb_blocking_worker_4_instead_of_hanging()
    {
        // Given the fixture, whose shop/payments PDB (minAvailable 2, both pods on worker-4) never allows a disruption
        // When its upgrade to v1.28.15 is rehearsed with the smart strategy
        var report = RehearsalEngine.Run(Fixtures.HaSnapshot, "fixture", FixtureOptions());

        // Then it would not finish, and says which drain waits on which PDB with its numbers and why
        report.Finished.Should().BeFalse();
        report.WouldNotFinish.Should().Contain("worker-4").And.Contain("shop/payments-pdb");
        report.PdbWaits.Should().Contain(w => w.Pdb == "shop/payments-pdb");
        var wait = report.PdbWaits.First(w => w.Pdb == "shop/payments-pdb");
        wait.Node.Should().Be("worker-4");
        wait.End.Should().BeNull();
        (wait.CurrentHealthy, wait.DesiredHealthy, wait.DisruptionsAllowed).Should().Be((2, 2, 0));
        wait.WaitsFor.Should().Contain("disruptionsAllowed stays 0");
        // and every other worker was upgraded first (smart puts the blocked node last), control planes before them
        report.Batches.Last().Nodes.Should().Equal("worker-4");
        report.Nodes.Where(n => n.Name != "worker-4").Should().OnlyContain(n => n.End != null);
        var lastControlPlane = report.Nodes.Where(n => n.Role != "Worker").Max(n => n.End!.Value);
        report.Nodes.Where(n => n.Role == "Worker").Should().OnlyContain(n => n.Start >= lastControlPlane);
        // and nothing unsafe happened on the way
        report.Stats.PdbViolations.Should().Be(0);
        report.SkewViolations.Should().BeEmpty();
        report.Quorum.Should().Be(report.Quorum with { Members = 3, QuorumAlwaysKept = true });
    }

    [Fact]
    public void Should_stop_at_the_first_failed_step_like_the_upgrade_does()
    {
        // Given the fixture's bare pod on worker-1 and a rehearsal without --force
        var options = FixtureOptions(BatchStrategyKind.Fixed) with { Force = false, DeleteEmptyDirData = false };

        var report = RehearsalEngine.Run(Fixtures.HaSnapshot, "fixture", options);

        report.Finished.Should().BeFalse();
        report.WouldNotFinish.Should().Contain("worker-1").And.Contain("--force");
        report.Nodes.Single(n => n.Name == "worker-1").Steps.Should().Contain(s => s.StepId == "drain" && s.Outcome == "failed");
    }
}
