using Drydock.Kube.Models;
using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

public sealed class BatchSchedulerTests
{
    private static readonly Resources Big = new(8000, 32L << 30, 110);
    private static readonly NodeTimeModel Time = new() { FixedPerNode = TimeSpan.FromSeconds(60), PodStart = TimeSpan.FromSeconds(10) };

    private static BatchNode Node(string name, bool drain = true) => new() { Name = name, Allocatable = Big, ToBeDrained = drain };

    private static BatchPod Pod(string key, string node, string? budget = null, int grace = 30, long cpu = 100) => new()
    {
        Key = key, Node = node, Budgets = budget is null ? [] : [budget],
        GracePeriod = TimeSpan.FromSeconds(grace), Requests = new Resources(cpu, 64L << 20, 1),
    };

    public sealed class Plan
    {
        [Fact]
        public void Should_share_a_one_at_a_time_budget_in_a_batch_only_when_waiting_a_round_is_cheaper_than_another_batch()
        {
            // Given web (allowance 1) with one pod on each of w1..w4, and max-unavailable 4
            var input = new BatchingInput
            {
                Nodes = [Node("w1"), Node("w2"), Node("w3"), Node("w4"), Node("spare", drain: false)],
                Pods = [Pod("shop/web-1", "w1", "web"), Pod("shop/web-2", "w2", "web"), Pod("shop/web-3", "w3", "web"), Pod("shop/web-4", "w4", "web")],
                Budgets = [new BatchBudget { Id = "web", AllowedDisruptions = 1 }],
            };

            // When the smart strategy plans
            var schedule = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 4, Time = Time });
            var serial = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 4, Strategy = BatchStrategyKind.Serial, Time = Time });

            // Then the drains wait on web in turns (a replacement start + a retry each) inside one batch — never blocked —
            // because that is quicker than four batches, and the reason says so
            schedule.Batches.Should().OnlyContain(b => b.BlockedBy.Count == 0);
            schedule.Batches.SelectMany(b => b.Nodes).Should().BeEquivalentTo(["w1", "w2", "w3", "w4"]);
            schedule.EstimatedDuration.Should().BeLessThan(serial.EstimatedDuration);
            schedule.Batches.Where(b => b.BudgetWaits.Count > 0).Should().OnlyContain(b => b.Reason.Contains("wait a round"));
        }

        [Fact]
        public void Should_drain_nodes_with_disjoint_budgets_together()
        {
            // Given four nodes whose pods belong to four different one-at-a-time budgets
            var input = new BatchingInput
            {
                Nodes = [Node("w1"), Node("w2"), Node("w3"), Node("w4"), Node("spare", drain: false)],
                Pods = [Pod("a/1", "w1", "a"), Pod("b/1", "w2", "b"), Pod("c/1", "w3", "c"), Pod("d/1", "w4", "d")],
                Budgets = [new() { Id = "a", AllowedDisruptions = 1 }, new() { Id = "b", AllowedDisruptions = 1 }, new() { Id = "c", AllowedDisruptions = 1 }, new() { Id = "d", AllowedDisruptions = 1 }],
            };

            var smart = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 2, Time = Time });

            // Then two batches of two — the lower bound
            smart.Batches.Select(b => b.Nodes.Count).Should().Equal(2, 2);
            smart.EstimatedDuration.Should().Be(smart.LowerBound);
        }

        [Fact]
        public void Should_put_a_node_whose_budget_allows_nothing_last_and_alone()
        {
            // Given payments (minAvailable = replicas → allowance 0) with both pods on w2
            var input = new BatchingInput
            {
                Nodes = [Node("w1"), Node("w2"), Node("w3")],
                Pods = [Pod("shop/payments-1", "w2", "payments"), Pod("shop/payments-2", "w2", "payments"), Pod("shop/web-1", "w1"), Pod("shop/web-2", "w3")],
                Budgets = [new() { Id = "payments", AllowedDisruptions = 0 }],
            };

            var schedule = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 3, Time = Time });

            schedule.Batches[^1].Nodes.Should().Equal("w2");
            schedule.Batches[^1].BlockedBy.Should().Equal("payments");
            schedule.Batches[0].Nodes.Should().BeEquivalentTo(["w1", "w3"]);
            schedule.HasBlockers.Should().BeTrue();
        }

        [Fact]
        public void Should_report_pods_that_fit_nowhere()
        {
            // Given a pod that needs 6 CPUs and only 4-CPU nodes besides its own
            var small = new Resources(4000, 8L << 30, 110);
            var input = new BatchingInput
            {
                Nodes = [Node("w1"), new BatchNode { Name = "w2", Allocatable = small }],
                Pods = [Pod("ml/trainer", "w1", cpu: 6000)],
            };

            var schedule = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 1, Time = Time });

            schedule.Batches.Single(b => b.Nodes.Contains("w1")).Unschedulable.Should().Equal("ml/trainer");
        }

        [Fact]
        public void Should_keep_the_evicted_pods_of_a_batch_within_the_room_left()
        {
            // Given three full-ish nodes that can each absorb only one other node's pods
            var node = new Resources(2000, 8L << 30, 110);
            var input = new BatchingInput
            {
                Nodes = [new BatchNode { Name = "w1", Allocatable = node }, new BatchNode { Name = "w2", Allocatable = node }, new BatchNode { Name = "w3", Allocatable = node }],
                Pods = [Pod("a/1", "w1", cpu: 900), Pod("b/1", "w2", cpu: 900), Pod("c/1", "w3", cpu: 900)],
            };

            // When two may go at once
            var schedule = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 2, Time = Time });

            // Then no batch leaves a pod homeless (two drained nodes' 1800m cannot fit in the third's 1100m free)
            schedule.Batches.All(b => b.Unschedulable.Count == 0).Should().BeTrue();
        }

        [Theory]
        [InlineData(BatchStrategyKind.Serial, 5)]
        [InlineData(BatchStrategyKind.Fixed, 3)]
        public void Should_follow_inventory_order_for_serial_and_fixed(BatchStrategyKind strategy, int expectedBatches)
        {
            var input = new BatchingInput
            {
                Nodes = [Node("w1"), Node("w2"), Node("w3"), Node("w4"), Node("w5")],
                Pods = [],
            };

            var schedule = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = 2, Strategy = strategy, Time = Time });

            schedule.Batches.Should().HaveCount(expectedBatches);
            schedule.Batches.SelectMany(b => b.Nodes).Should().Equal("w1", "w2", "w3", "w4", "w5");
        }
    }

    public sealed class Properties
    {
        public static TheoryData<int> Seeds() { var d = new TheoryData<int>(); for (var i = 1; i <= 60; i++) d.Add(i); return d; }

        [Theory]
        [MemberData(nameof(Seeds))]
        public void Should_never_exceed_a_budget_or_capacity_and_never_be_slower_than_serial(int seed)
        {
            // Given a random cluster: workers, Deployments spread over them, each with a PDB
            var rng = new Random(seed);
            var workers = rng.Next(3, 25);
            var nodes = Enumerable.Range(1, workers).Select(i => new BatchNode { Name = $"w{i:00}", Allocatable = new Resources(4000, 16L << 30, 110) }).ToList();
            var pods = new List<BatchPod>();
            var budgets = new List<BatchBudget>();
            for (var d = 0; d < rng.Next(1, 12); d++)
            {
                var replicas = rng.Next(1, 6);
                budgets.Add(new BatchBudget { Id = $"app{d}", AllowedDisruptions = rng.Next(0, 3) == 0 ? 0 : rng.Next(1, 3) });
                for (var r = 0; r < replicas; r++)
                    pods.Add(Pod($"ns/app{d}-{r}", nodes[rng.Next(workers)].Name, $"app{d}", grace: rng.Next(1, 60), cpu: rng.Next(100, 800)));
            }
            var input = new BatchingInput { Nodes = nodes, Pods = pods, Budgets = budgets };
            var maxUnavailable = rng.Next(1, 6);

            // When smart, serial and fixed plan it
            var smart = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = maxUnavailable, Time = Time });
            var serial = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = maxUnavailable, Strategy = BatchStrategyKind.Serial, Time = Time });
            var fixedOrder = BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = maxUnavailable, Strategy = BatchStrategyKind.Fixed, Time = Time });

            // Then every node appears once, batches respect max-unavailable, a multi-node batch is never blocked and
            // strands a pod only when its first node, drained alone at that point, strands one too (no room at all),
            // and smart is never slower than serial, nor than fixed whenever fixed is as safe
            smart.Batches.SelectMany(b => b.Nodes).Should().BeEquivalentTo(nodes.Select(n => n.Name));
            smart.Batches.Should().OnlyContain(b => b.Nodes.Count <= maxUnavailable);
            // (a multi-node batch may wait a round on a shared PDB — never violate it — when that is cheaper than another batch)
            smart.Batches.Where(b => b.Nodes.Count > 1).All(b => b.BlockedBy.Count == 0).Should().BeTrue();
            var options = new BatchingOptions { MaxUnavailable = maxUnavailable, Time = Time };
            foreach (var b in smart.Batches.Where(b => b.Nodes.Count > 1 && b.Unschedulable.Count > 0))
            {
                var before = smart.Batches.TakeWhile(x => x.Index < b.Index).Select(x => x.Nodes).Append([b.Nodes[0]]).ToList();
                BatchScheduler.Simulate(input, options, before)[^1].Unschedulable.Should().NotBeEmpty("batch {0} strands pods though its first node alone would not", b.Index);
            }
            smart.EstimatedDuration.Should().BeLessThanOrEqualTo(serial.EstimatedDuration);
            if (fixedOrder.Batches.All(b => b.Nodes.Count == 1 || (b.BlockedBy.Count == 0 && b.Unschedulable.Count == 0)))
                smart.EstimatedDuration.Should().BeLessThanOrEqualTo(fixedOrder.EstimatedDuration);

            smart.EstimatedDuration.Should().BeGreaterThanOrEqualTo(smart.LowerBound);
        }
    }

    public sealed class LowerBound
    {
        public static TheoryData<int> Seeds() { var d = new TheoryData<int>(); for (var i = 1; i <= 25; i++) d.Add(i); return d; }

        [Theory]
        [MemberData(nameof(Seeds))]
        public void Should_never_exceed_the_best_of_every_schedule_found_by_brute_force(int seed)
        {
            // Given a small random cluster (2–7 nodes to drain, grace periods 0–120 s, PDBs with allowance 0–2, some
            // pods unhealthy, nodes sometimes too small to take every evicted pod)
            var rng = new Random(seed * 7919);
            var count = rng.Next(2, 8);
            var cpu = rng.Next(2) == 0 ? 1500 : 8000;
            var nodes = Enumerable.Range(1, count).Select(i => new BatchNode { Name = $"w{i}", Allocatable = new Resources(cpu, 16L << 30, 110) })
                .Append(new BatchNode { Name = "spare", Allocatable = new Resources(cpu, 16L << 30, 110), ToBeDrained = false }).ToList();
            var budgets = Enumerable.Range(0, rng.Next(1, 5)).Select(b => new BatchBudget { Id = $"b{b}", AllowedDisruptions = rng.Next(0, 3) }).ToList();
            var pods = Enumerable.Range(0, rng.Next(1, 4 * count)).Select(p => new BatchPod
            {
                Key = $"ns/p{p}", Node = nodes[rng.Next(nodes.Count)].Name, Requests = new Resources(rng.Next(1, 8) * 100, 256L << 20, 1),
                Budgets = rng.Next(4) == 0 ? [] : [budgets[rng.Next(budgets.Count)].Id], Healthy = rng.Next(6) != 0,
                GracePeriod = TimeSpan.FromSeconds(rng.Next(5) == 0 ? rng.Next(60, 121) : rng.Next(0, 31)),
            }).ToList();
            var input = new BatchingInput { Nodes = nodes, Pods = pods, Budgets = budgets };
            var options = new BatchingOptions { MaxUnavailable = rng.Next(1, 4), Time = Time };

            // When every ordered partition of the nodes into batches of at most max-unavailable is simulated (≤ 6
            // nodes), or every partition in two orders (7 nodes: 877 partitions)
            var names = nodes.Where(n => n.ToBeDrained).Select(n => n.Name).ToList();
            var best = Schedules(names, options.MaxUnavailable, ordered: count <= 6).Min(s => BatchScheduler.Cost(input, options, s));
            var bound = BatchScheduler.LowerBound(input, options);

            // Then the bound is never above the best schedule, and smart is never below the bound
            bound.Should().BeLessThanOrEqualTo(best);
            BatchScheduler.Plan(input, options).EstimatedDuration.Should().BeGreaterThanOrEqualTo(bound);
        }

        [Fact]
        public void Should_be_the_sorted_chunking_of_solo_times_and_be_reached_when_nothing_is_shared()
        {
            // Given six nodes whose drains take 30, 30, 100, 100, 120, 120 s of grace and share no PDB, max-unavailable 2
            var graces = new[] { 30, 120, 100, 30, 120, 100 };
            var input = new BatchingInput
            {
                Nodes = [.. graces.Select((_, i) => Node($"w{i}")), Node("spare", drain: false)],
                Pods = [.. graces.Select((g, i) => Pod($"ns/p{i}", $"w{i}", grace: g))],
            };
            var options = new BatchingOptions { MaxUnavailable = 2, Time = Time };

            // When bounded and planned
            var bound = BatchScheduler.LowerBound(input, options);
            var smart = BatchScheduler.Plan(input, options);

            // Then the bound is t1 + t3 + t5 = (60+120) + (60+100) + (60+30) — not 3 × the quickest (270 s) — and smart reaches it
            bound.Should().Be(TimeSpan.FromSeconds(180 + 160 + 90));
            smart.EstimatedDuration.Should().Be(bound);
        }

        [Fact]
        public void Should_count_the_rounds_a_one_at_a_time_budget_needs()
        {
            // Given one budget with allowance 1 whose 6 pods sit on 6 nodes, max-unavailable 6: one batch, 6 rounds
            var input = new BatchingInput
            {
                Nodes = [.. Enumerable.Range(0, 6).Select(i => Node($"w{i}")), Node("spare", drain: false)],
                Pods = [.. Enumerable.Range(0, 6).Select(i => Pod($"ns/p{i}", $"w{i}", "web"))],
                Budgets = [new BatchBudget { Id = "web", AllowedDisruptions = 1 }],
            };

            // When bounded
            var bound = BatchScheduler.LowerBound(input, new BatchingOptions { MaxUnavailable = 6, Time = Time });

            // Then the sorted-solo bound says 90 s, but 6 rounds are needed: one batch costs 60 + 30 + 5 × 15 = 165 s and
            // every extra batch costs 90 s to save 15 s of rounds — the PDB bound, 165 s, is what the one-batch schedule costs
            bound.Should().Be(TimeSpan.FromSeconds(165));
        }

        /// <summary>Ordered (or, when not ordered, canonical and reversed) partitions of the names into blocks of at most k.</summary>
        private static IEnumerable<IReadOnlyList<IReadOnlyList<string>>> Schedules(IReadOnlyList<string> names, int k, bool ordered)
        {
            foreach (var partition in Partitions(names, 0, []))
            {
                if (partition.Any(b => b.Count > k)) continue;
                if (!ordered) { yield return partition; yield return [.. partition.AsEnumerable().Reverse()]; continue; }
                foreach (var order in Permutations(partition)) yield return order;
            }
        }

        private static IEnumerable<List<List<string>>> Partitions(IReadOnlyList<string> names, int i, List<List<string>> blocks)
        {
            if (i == names.Count) { yield return blocks.Select(b => b.ToList()).ToList(); yield break; }
            for (var b = 0; b <= blocks.Count; b++)
            {
                if (b == blocks.Count) blocks.Add([]);
                blocks[b].Add(names[i]);
                foreach (var p in Partitions(names, i + 1, blocks)) yield return p;
                blocks[b].RemoveAt(blocks[b].Count - 1);
                if (blocks[b].Count == 0) blocks.RemoveAt(b);
            }
        }

        private static IEnumerable<IReadOnlyList<IReadOnlyList<string>>> Permutations(List<List<string>> blocks)
        {
            if (blocks.Count <= 1) { yield return blocks; yield break; }
            for (var i = 0; i < blocks.Count; i++)
            {
                var rest = blocks.Where((_, j) => j != i).ToList();
                foreach (var tail in Permutations(rest)) yield return [blocks[i], .. tail];
            }
        }
    }
}
