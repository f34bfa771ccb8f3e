using System.Security.Cryptography;
using System.Text;
using Drydock.Kube.Models;
using Drydock.Scheduling;

namespace Drydock.Tests.Scheduling;

/// <summary>
/// Pins every decision of the batch planner — batch members and order, estimates, reasons, waits, blocks and
/// stranded pods, for serial, fixed and smart at several max-unavailable — on seeded random clusters that exercise
/// selectors, taints and tolerations, node affinity, several budgets per pod, unhealthy pods, budgets with no
/// allowance, unknown budgets, cordoned and kept nodes, and a cluster too full for its pods. The hashes were
/// recorded from the planner before its placement was rewritten on dense ids: a change in any of them is a change
/// in behaviour, not only in cost.
/// </summary>
public sealed class ScheduleGoldenHashTests
{
    private static readonly NodeTimeModel Time = new() { FixedPerNode = TimeSpan.FromSeconds(90), PodStart = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData(1, 60, 12, 1.0, "58258a5c6498d860")]
    [InlineData(2, 120, 20, 1.0, "a5af0f8f6f96e731")]
    [InlineData(3, 80, 25, 0.55, "eab307a5d7fd4a99")]
    [InlineData(4, 400, 18, 0.7, "fbca50910377c49d")]
    public void Should_plan_exactly_the_recorded_schedules(int seed, int nodes, int podsPerNode, double roomFactor, string expected)
    {
        // Given a seeded random cluster
        var input = RandomCluster(seed, nodes, podsPerNode, roomFactor);

        // When every strategy plans it at several max-unavailable
        var text = new StringBuilder();
        foreach (var k in new[] { 1, 3, 10 })
            foreach (var kind in new[] { BatchStrategyKind.Serial, BatchStrategyKind.Fixed, BatchStrategyKind.Smart })
                Describe(text, kind, k, BatchScheduler.Plan(input, new BatchingOptions { MaxUnavailable = k, Strategy = kind, Time = Time }));

        // Then the schedules are exactly those recorded
        Hash(text.ToString()).Should().Be(expected);
    }

    internal static void Describe(StringBuilder text, BatchStrategyKind kind, int k, BatchSchedule schedule)
    {
        text.Append(kind).Append(' ').Append(k).Append(' ').Append(schedule.LowerBound.Ticks).Append(' ').Append(schedule.EstimatedDuration.Ticks).Append('\n');
        foreach (var b in schedule.Batches)
        {
            text.Append(b.Index).Append('|').Append(string.Join(',', b.Nodes)).Append('|').Append(b.EstimatedDuration.Ticks)
                .Append('|').Append(b.Reason).Append('|').Append(string.Join(',', b.BudgetWaits)).Append('|').Append(string.Join(',', b.BlockedBy))
                .Append('|').Append(string.Join(',', b.Unschedulable)).Append('\n');
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>
    /// Nodes in three zones, a few tainted (dedicated=db:NoSchedule), cordoned or kept; pods from deployments with a
    /// shared budget, some also in a second budget, some unhealthy, some pinned by selector or affinity, with varied
    /// requests and grace periods. <paramref name="roomFactor"/> scales the nodes' room (below 1 the cluster is tight).
    /// </summary>
    internal static BatchingInput RandomCluster(int seed, int nodeCount, int podsPerNode, double roomFactor)
    {
        var rng = new Random(seed);
        var zones = new[] { "a", "b", "c" };
        var nodes = new List<BatchNode>();
        for (var i = 0; i < nodeCount; i++)
        {
            var tainted = rng.Next(12) == 0;
            var cpu = (long)(rng.Next(4, 9) * 1000 * roomFactor);
            nodes.Add(new BatchNode
            {
                Name = $"node-{rng.Next(1000):000}-{i}",
                Allocatable = new Resources(cpu, (long)((rng.Next(8, 33) * 1L << 30) * roomFactor), rng.Next(0, 3) == 0 ? podsPerNode + 2 : 110),
                Labels = new Dictionary<string, string> { ["zone"] = zones[rng.Next(zones.Length)], ["kubernetes.io/hostname"] = $"node-{i}", ["tier"] = rng.Next(3).ToString() },
                Taints = tainted ? [new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }] : [],
                Unschedulable = rng.Next(40) == 0,
                Reserved = new Resources(rng.Next(1, 4) * 100, 256L << 20, 1),
                ToBeDrained = rng.Next(8) != 0,
            });
        }
        var budgets = new List<BatchBudget>();
        var pods = new List<BatchPod>();
        var target = nodeCount * podsPerNode;
        for (var d = 0; pods.Count < target; d++)
        {
            var id = $"ns-{d % 7}/app-{d}";
            var replicas = rng.Next(1, 12);
            var roll = rng.Next(100);
            int? allowed = roll switch { < 40 => 1, < 55 => 2, < 65 => rng.Next(3, 6), < 72 => 0, _ => null };
            if (allowed is int a) budgets.Add(new BatchBudget { Id = id, AllowedDisruptions = a });
            var shared = rng.Next(10) == 0 && budgets.Count > 1 ? budgets[rng.Next(budgets.Count - 1)].Id : null;
            var ghost = rng.Next(50) == 0 ? $"ns-x/missing-{d}" : null;
            var podBudgets = new[] { allowed is null ? null : id, shared, ghost }.OfType<string>().Distinct().ToList();
            var cpu = rng.Next(1, 9) * 50L;
            var mem = rng.Next(1, 17) * (64L << 20);
            var grace = rng.Next(6) switch { 0 => 0, 1 => rng.Next(60, 301), _ => 30 };
            var pin = rng.Next(20);
            var selector = pin == 0 ? new Dictionary<string, string> { ["zone"] = zones[rng.Next(zones.Length)] } : null;
            var affinity = pin == 1
                ? new NodeSelector { NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = "tier", Operator = "In", Values = ["0", "1"] }] }] }
                : null;
            var tolerates = pin == 2 ? new[] { new Toleration { Key = "dedicated", Operator = "Equal", Value = "db", Effect = "NoSchedule" } }
                : pin == 3 ? [new Toleration { Operator = "Exists" }] : null;
            var start = rng.Next(nodeCount);
            for (var r = 0; r < replicas; r++)
            {
                pods.Add(new BatchPod
                {
                    Key = $"{id}-{r:x}{rng.Next(100)}",
                    Node = nodes[(start + r * (rng.Next(1, 4))) % nodeCount].Name,
                    Requests = new Resources(cpu, mem, 1),
                    Budgets = podBudgets,
                    Healthy = rng.Next(25) != 0,
                    GracePeriod = TimeSpan.FromSeconds(grace),
                    NodeSelector = selector,
                    RequiredNodeAffinity = affinity,
                    Tolerations = tolerates,
                });
            }
        }
        // A pod on a node the planner was not told about is ignored.
        pods.Add(new BatchPod { Key = "ns-0/stray", Node = "gone", Budgets = [budgets[0].Id] });
        return new BatchingInput { Nodes = nodes, Pods = pods, Budgets = budgets };
    }
}
