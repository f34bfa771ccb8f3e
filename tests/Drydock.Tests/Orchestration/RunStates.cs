using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

/// <summary>Run states of generated worker-only upgrade plans, for the state map, store and journal tests.</summary>
internal static class RunStates
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static RolloutPlan Plan(int workers, int hops = 1)
    {
        var nodes = Enumerable.Range(1, workers).Select(i => new RolloutNode($"worker-{i:00000}", NodeRole.Worker)).ToList();
        var versions = new[] { "1.28.15", "1.29.10", "1.30.6" };
        return new RolloutPlan
        {
            Kind = RolloutKind.Upgrade, MaxUnavailable = 10,
            Hops = versions.Take(hops).Select(v => new RolloutHop { Version = v, SwitchRepository = true, Batches = nodes.Chunk(10).Select((b, i) => new RolloutBatch(i, b)).ToList() }).ToList(),
        };
    }

    public static RunState Empty(int workers, int hops = 1) =>
        new() { RunId = "run-test", Plan = Plan(workers, hops), Holder = "ci", StartedAt = Start, UpdatedAt = Start };

    /// <summary>Every node of every hop done.</summary>
    public static RunState Finished(int workers, int hops = 1)
    {
        var state = Empty(workers, hops);
        foreach (var (hop, _, node) in state.Plan.AllNodes())
            state = state.WithNode(Done(state.Plan, hop, node.Name), Start.AddMinutes(5));
        return state;
    }

    public static NodeProgress Done(RolloutPlan plan, int hop, string node) => new()
    {
        Node = node, Hop = hop, Phase = NodePhase.Done, WasCordoned = false, StartedAt = Start, FinishedAt = Start.AddMinutes(5),
        CompletedSteps = NodeProcedures.Upgrade(plan.Hops[hop], NodeRole.Worker).Select(s => s.Id).ToList(),
    };
}
