using Drydock.Common;
using Drydock.Planning.Upgrade;

namespace Drydock.Tests.Planning;

public sealed class BatchSizeTests
{
    [Theory]
    [InlineData("1", 5, 1)]
    [InlineData("2", 5, 2)]
    [InlineData("10", 5, 5)]     // more than the workers: all at once
    [InlineData("25%", 10, 2)]   // 2.5 rounds down, like a Deployment's maxUnavailable
    [InlineData("25%", 3, 1)]    // 0.75 rounds down to 0, but at least 1
    [InlineData("50%", 4, 2)]
    [InlineData("100%", 7, 7)]
    [InlineData("33%", 100, 33)]
    [InlineData("1%", 0, 1)]     // no workers: a batch size is still 1
    public void Should_resolve_counts_and_percentages(string text, int workers, int expected) =>
        BatchSize.Parse(text).Resolve(workers).Should().Be(expected);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("%")]
    public void Should_reject_bad_values_with_a_usage_error(string text)
    {
        var act = () => BatchSize.Parse(text);
        act.Should().Throw<DrydockException>().Which.Error.Should().BeOfType<UsageError>()
           .Which.Message.Should().StartWith("invalid --max-unavailable");
    }

    [Fact]
    public void Should_batch_workers_in_inventory_order()
    {
        var snapshot = new TestCluster().ControlPlane("cp").Worker("a").Worker("b").Worker("c").Worker("d").Worker("e").Snapshot();

        var batches = new FixedSizeBatchStrategy().Batch(snapshot.WorkerNodes.ToList(), 2, snapshot);

        batches.Select(b => string.Join(",", b.Select(n => n.Name))).Should().Equal("a,b", "c,d", "e");
    }
}
