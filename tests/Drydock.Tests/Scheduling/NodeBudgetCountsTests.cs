using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

public sealed class NodeBudgetCountsTests
{
    [Fact]
    public void Should_count_like_a_table_of_every_node_and_budget_pair_through_random_adds_and_removes()
    {
        // Given the compact per-node counts and a plain dictionary as the reference
        var counts = new NodeBudgetCounts(7);
        var reference = new Dictionary<(int, int), int>();
        var rng = new Random(11);

        // When pods of random budgets come and go (counts may reach zero and come back)
        for (var step = 0; step < 20_000; step++)
        {
            var (node, budget) = (rng.Next(7), rng.Next(40));
            var delta = reference.GetValueOrDefault((node, budget)) > 0 && rng.Next(2) == 0 ? -1 : +1;
            counts.Add(node, budget, delta);
            reference[(node, budget)] = reference.GetValueOrDefault((node, budget)) + delta;

            // Then every pair reads what the table says
            if (step % 500 == 0)
                for (var n = 0; n < 7; n++)
                    for (var b = 0; b < 40; b++)
                        counts.Get(n, b).Should().Be(reference.GetValueOrDefault((n, b)), $"node {n}, budget {b} at step {step}");
        }
    }

    [Fact]
    public void Should_read_zero_for_a_budget_a_node_never_held_and_after_its_last_pod_leaves()
    {
        var counts = new NodeBudgetCounts(2);
        counts.Add(0, 5, +1);
        counts.Add(0, 6, +2);
        counts.Add(0, 5, -1);

        counts.Get(0, 5).Should().Be(0);
        counts.Get(0, 6).Should().Be(2);
        counts.Get(1, 6).Should().Be(0);
    }
}
