using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>The per-node position queues behind node-pinned watch replays: ring-buffer growth after the front moved,
/// the search for where a replay starts, and a node's queue going away when its last position is dropped.</summary>
public sealed class WatchLogNodeIndexTests
{
    [Fact]
    public void Should_keep_positions_in_order_when_growing_after_the_front_moved_and_find_where_a_replay_starts()
    {
        var queue = new PositionQueue("n1");
        var expected = new Queue<long>();
        var random = new Random(3);
        long next = 0;
        for (var step = 0; step < 5_000; step++)
        {
            if (expected.Count > 0 && random.Next(3) == 0) { queue.RemoveFirst(); expected.Dequeue(); }
            else { next += random.Next(1, 4); queue.Append(next); expected.Enqueue(next); }
        }

        Enumerable.Range(0, queue.Count).Select(i => queue[i]).Should().Equal(expected);
        foreach (var position in new[] { 0, expected.Peek(), expected.Peek() + 1, next, next + 1 })
            queue.FirstIndexAtOrAfter(position).Should().Be(expected.Count(p => p < position), $"first at or after {position}");
    }

    [Fact]
    public void Should_list_a_move_under_both_nodes_and_forget_a_node_whose_last_change_left_the_log()
    {
        var index = new WatchLogNodeIndex();
        var first = index.Add(0, "n1", null);
        var moved = index.Add(1, "n2", "n1");
        index.Add(2, "n2", null);

        index.From("n1", 0).Should().Equal(0, 1);
        index.From("n2", 0).Should().Equal(1, 2);
        index.From("n2", 2).Should().Equal(2);

        index.DropOldest(first.Node, first.PreviousNode);
        index.DropOldest(moved.Node, moved.PreviousNode);
        index.From("n1", 0).Should().BeEmpty();
        index.From("n2", 0).Should().Equal(2);

        index.Add(3, "n1", null).Node.Should().NotBeSameAs(first.Node, "the emptied queue was dropped and a new one made");
        index.From("n1", 0).Should().Equal(3);
    }
}
