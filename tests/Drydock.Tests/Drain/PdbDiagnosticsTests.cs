using Drydock.Drain;
using Drydock.Kube.Models;
using static Drydock.Tests.Drain.TestPods;

namespace Drydock.Tests.Drain;

public sealed class PdbDiagnosticsTests
{
    public sealed record Case(string Name, PodDisruptionBudget Pdb, Pod[] OnNode, PdbOutlook Outlook, string ExplanationContains)
    {
        public override string ToString() => Name;
    }

    private static Pod Web(string name, bool ready = true) => Pod("prod", name, labels: Labels("web"), ready: ready);

    public static TheoryData<Case> Cases => new()
    {
        new("minAvailable equal to the expected pods can never allow an eviction",
            Pdb("prod", "web", Labels("web"), minAvailable: 3, healthy: 3, desired: 3, expected: 3, allowed: 0), [Web("w1")],
            PdbOutlook.CannotFinish, "minAvailable 3 requires all 3 pods"),
        new("minAvailable 100% is the same deadlock",
            Pdb("prod", "web", Labels("web"), minAvailablePct: "100%", healthy: 2, desired: 2, expected: 2, allowed: 0), [Web("w1")],
            PdbOutlook.CannotFinish, "minAvailable 100% requires all 2 pods"),
        new("maxUnavailable 0 allows no disruption",
            Pdb("prod", "web", Labels("web"), maxUnavailable: 0, healthy: 3, desired: 3, expected: 3, allowed: 0), [Web("w1")],
            PdbOutlook.CannotFinish, "maxUnavailable 0 allows no disruption"),
        new("all healthy pods on this node and none allowed: no replacement can come up first",
            Pdb("prod", "web", Labels("web"), minAvailable: 1, healthy: 1, desired: 1, expected: 2, allowed: 0), [Web("w1"), Web("w2", ready: false)],
            PdbOutlook.CannotFinish, "every healthy pod of this budget is on node n1"),
        new("fewer disruptions allowed than pods on the node: evictions wait for replacements",
            Pdb("prod", "web", Labels("web"), minAvailable: 2, healthy: 3, desired: 2, expected: 3, allowed: 1), [Web("w1"), Web("w2")],
            PdbOutlook.WillWait, "2 pod(s) to evict but 1 disruption(s) allowed"),
        new("enough disruptions allowed",
            Pdb("prod", "web", Labels("web"), minAvailable: 1, healthy: 3, desired: 1, expected: 3, allowed: 2), [Web("w1"), Web("w2")],
            PdbOutlook.Allows, "allows the 2 eviction(s) needed"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_say_plainly_whether_a_budget_lets_the_drain_finish(Case c)
    {
        // Given a budget covering pods on the node
        var snapshot = new NodeDrainSnapshot { NodeName = "n1", Pods = c.OnNode, Pdbs = [c.Pdb], Now = Now };

        // When the drain is planned
        var plan = DrainPlanner.Plan(snapshot, new DrainOptions());

        // Then the diagnosis carries the numbers and the verdict
        var d = plan.Pdbs.Should().ContainSingle().Subject;
        d.Outlook.Should().Be(c.Outlook);
        d.Explanation.Should().Contain(c.ExplanationContains);
        d.FullName.Should().Be("prod/web");
        d.DisruptionsAllowed.Should().Be(c.Pdb.Status!.DisruptionsAllowed);
        d.PodsOnNode.Should().Equal(c.OnNode.Select(p => $"prod/{p.Metadata.Name}"));
        plan.BlockingPdbs.Should().HaveCount(c.Outlook == PdbOutlook.CannotFinish ? 1 : 0);
    }

    [Fact]
    public void Should_ignore_budgets_of_other_namespaces_or_labels()
    {
        // Given budgets that do not select the node's pod
        var pdbs = new[] { Pdb("other", "web", Labels("web")), Pdb("prod", "db", Labels("db")) };
        var snapshot = new NodeDrainSnapshot { NodeName = "n1", Pods = [Web("w1")], Pdbs = pdbs, Now = Now };

        // When planned
        var plan = DrainPlanner.Plan(snapshot, new DrainOptions());

        // Then no diagnosis is made
        plan.Pdbs.Should().BeEmpty();
    }

    [Fact]
    public void Should_print_the_numbers_an_operator_needs()
    {
        // Given a blocking budget
        var d = PdbDiagnostics.Diagnose(Pdb("prod", "web", Labels("web"), minAvailable: 2, healthy: 2, desired: 2, expected: 3, allowed: 0), [Web("w1")],
            new NodeDrainSnapshot { NodeName = "n1", Now = Now });

        // Then the numbers read like `kubectl get pdb`
        d.Numbers.Should().Be("minAvailable 2, healthy 2/3 (desired 2), disruptions allowed 0");
    }
}
