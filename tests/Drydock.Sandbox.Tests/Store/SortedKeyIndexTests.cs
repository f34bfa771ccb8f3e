using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

public sealed class SortedKeyIndexTests
{
    [Fact]
    public void Should_hold_the_same_keys_in_the_same_order_as_a_sorted_set_after_random_adds_and_removes()
    {
        var random = new Random(7);
        var index = new SortedKeyIndex();
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        for (var step = 0; step < 20_000; step++)
        {
            var key = $"ns-{random.Next(5)}/pod-{random.Next(3_000)}";
            if (random.Next(3) == 0) index.Remove(key).Should().Be(expected.Remove(key));
            else index.Add(key).Should().Be(expected.Add(key));
        }

        index.Count.Should().Be(expected.Count);
        index.Range(null, null).Should().Equal(expected);
        foreach (var after in new[] { "ns-2/pod-1500", "ns-0/", "a", "zz", "ns-3/pod-999x" })
            foreach (var until in new string?[] { null, "ns-3/", "ns-1/pod-2", "a" })
                index.Range(after, until).Should().Equal(
                    expected.Where(k => string.CompareOrdinal(k, after) > 0 && (until is null || string.CompareOrdinal(k, until) < 0)),
                    $"keys after {after} before {until}");
    }

    [Fact]
    public void Should_be_empty_after_every_key_is_removed()
    {
        var index = new SortedKeyIndex();
        var keys = Enumerable.Range(0, 2_000).Select(i => $"k{i:D5}").ToList();
        foreach (var k in keys) index.Add(k);
        foreach (var k in keys) index.Remove(k).Should().BeTrue();

        index.Count.Should().Be(0);
        index.Range(null, null).Should().BeEmpty();
        index.Remove("k00001").Should().BeFalse();
    }
}
