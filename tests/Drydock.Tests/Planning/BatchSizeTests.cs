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

public sealed class SmartBatchStrategyTests
{
    [Fact]
    public void Should_cover_every_worker_once_in_batches_no_larger_than_asked()
    {
        // Given the fixture's five workers
        var snapshot = Drydock.Planning.Inventory.SnapshotLoader.LoadFile(ApprovedFile.Beside("Fixtures/kubeadm-v1.27-ha.json"));
        var workers = snapshot.WorkerNodes.ToList();

        // When the smart scheduler batches them two at a time
        var batches = Drydock.Scheduling.BatchStrategies.Parse("smart").Batch(workers, 2, snapshot);

        // Then each worker appears exactly once and no batch exceeds two nodes
        batches.SelectMany(b => b.Select(n => n.Name)).Should().BeEquivalentTo(workers.Select(n => n.Name));
        batches.Should().OnlyContain(b => b.Count >= 1 && b.Count <= 2);
    }
}
