using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

public sealed class NodeHeapTests
{
    /// <summary>The walk must visit exactly the nodes in the heap, in LeastAllocated order (score descending, then
    /// name rank), whatever sequence of inserts, score changes and removals built it.</summary>
    [Fact]
    public void Should_walk_exactly_the_present_nodes_in_score_then_rank_order_after_random_updates_and_removals()
    {
        const int n = 300;
        var random = new Random(23);
        var rank = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var heap = new NodeHeap(rank);
        var expected = new Dictionary<int, double>();
        for (var step = 0; step < 20_000; step++)
        {
            var node = random.Next(n);
            if (random.Next(4) == 0)
            {
                heap.Remove(node);
                expected.Remove(node);
            }
            else
            {
                // Few distinct scores, so ties (broken by rank) are common.
                var score = random.Next(12) / 4.0;
                heap.Set(node, score);
                expected[node] = score;
            }
            if (step % 1_000 != 999) continue;

            heap.Count.Should().Be(expected.Count);
            var walked = new List<(int Node, double Score)>();
            heap.BeginWalk();
            while (heap.TryNext(out var next, out var score)) walked.Add((next, score));
            walked.Should().Equal(expected.OrderByDescending(kv => kv.Value).ThenBy(kv => rank[kv.Key]).Select(kv => (kv.Key, kv.Value)));
            foreach (var i in Enumerable.Range(0, n)) heap.Contains(i).Should().Be(expected.ContainsKey(i));
        }
    }

    [Fact]
    public void Should_stop_a_walk_early_without_changing_the_heap()
    {
        var heap = new NodeHeap([2, 0, 1]);
        heap.Set(0, 1.0);
        heap.Set(1, 1.0);
        heap.Set(2, 2.0);

        heap.BeginWalk();
        heap.TryNext(out var first, out _).Should().BeTrue();
        first.Should().Be(2);
        heap.BeginWalk();
        var order = new List<int>();
        while (heap.TryNext(out var node, out _)) order.Add(node);

        order.Should().Equal(2, 1, 0);
        heap.Count.Should().Be(3);
    }
}
