using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class NodeProgressMapTests
{
    private static int Recount(RunState s) => s.Nodes.Values.Sum(n => n.CompletedSteps.Count);

    private static int RecountTotal(RolloutPlan plan) =>
        plan.AllNodes().Sum(x => NodeProcedures.For(plan, plan.Hops[x.Hop], x.Node.Role).Count);

    [Fact]
    public void Should_compute_the_total_steps_of_a_plan_once()
    {
        var plan = RunStates.Plan(workers: 130, hops: 2);

        var layout = RunLayout.For(plan);

        layout.TotalSteps.Should().Be(RecountTotal(plan));
        layout.SlotCount.Should().Be(260);
        layout.ShardCount.Should().Be(5);
        RunLayout.For(plan).Should().BeSameAs(layout);
    }

    [Fact]
    public void Should_keep_completed_steps_equal_to_a_recount_through_every_change()
    {
        var state = RunStates.Empty(workers: 200);
        var steps = NodeProcedures.Upgrade(state.Plan.Hops[0], NodeRole.Worker).Select(s => s.Id).ToList();

        // Nodes gain steps, one is replaced by a shorter list (a failed step retried), one finishes
        for (var i = 0; i < steps.Count; i++)
            foreach (var node in new[] { "worker-00001", "worker-00070", "worker-00199" })
            {
                state = state.WithNode(state.NodeAt(0, node) with { Phase = NodePhase.Running, CompletedSteps = steps.Take(i + 1).ToList() }, RunStates.Start);
                state.CompletedSteps.Should().Be(Recount(state));
            }
        state = state.WithNode(state.NodeAt(0, "worker-00070") with { CompletedSteps = steps.Take(2).ToList() }, RunStates.Start);

        state.CompletedSteps.Should().Be(Recount(state)).And.Be(2 * steps.Count + 2);
        state.Nodes.Should().HaveCount(3);
    }

    [Fact]
    public void Should_copy_only_the_changed_shard()
    {
        var before = RunStates.Finished(workers: 300).Progress;

        var after = before.With(before["0/worker-00130"] with { Phase = NodePhase.Failed });

        Enumerable.Range(0, after.ShardCount).Where(s => after.ShardChangedSince(s, before)).Should().Equal(2);
        after.ChangedSince(before).Select(p => p.Node).Should().Equal("worker-00130");
        before["0/worker-00130"].Phase.Should().Be(NodePhase.Done, "an earlier version is never changed");
        after.ChangedSince(null).Should().HaveCount(300);
    }

    [Fact]
    public void Should_enumerate_in_plan_order_whatever_order_progress_arrived_in()
    {
        var state = RunStates.Empty(workers: 100);
        foreach (var n in new[] { "worker-00090", "worker-00003", "worker-00064", "worker-00001" })
            state = state.WithNode(new NodeProgress { Node = n, Hop = 0 }, RunStates.Start);

        state.Nodes.Keys.Should().Equal("0/worker-00001", "0/worker-00003", "0/worker-00064", "0/worker-00090");
    }

    [Fact]
    public void Should_hold_progress_given_as_a_plain_dictionary_including_keys_the_plan_lacks()
    {
        var plan = RunStates.Plan(workers: 3);
        var given = new Dictionary<string, NodeProgress>
        {
            ["0/worker-00002"] = RunStates.Done(plan, 0, "worker-00002"),
            ["0/someone-else"] = new() { Node = "someone-else", Hop = 0, CompletedSteps = ["drain"] },
        };

        var state = new RunState { RunId = "r", Plan = plan, Holder = "ci", StartedAt = RunStates.Start, Nodes = given };

        state.Nodes.Should().BeOfType<NodeProgressMap>();
        state.Nodes.Keys.Should().Equal("0/worker-00002", "0/someone-else");
        state.NodeAt(0, "someone-else").CompletedSteps.Should().Equal("drain");
        state.NodeAt(0, "worker-00003").Phase.Should().Be(NodePhase.Pending);
        state.CompletedSteps.Should().Be(Recount(state));
        state.TotalSteps.Should().Be(RecountTotal(plan), "progress outside the plan adds no steps to do");
    }
}
