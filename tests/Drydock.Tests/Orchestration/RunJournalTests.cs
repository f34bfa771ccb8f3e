using Drydock.Common;
using Drydock.Orchestration;

namespace Drydock.Tests.Orchestration;

public sealed class RunJournalTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"dd-journal-test-{Guid.NewGuid():N}.jsonl");
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task Should_write_the_first_state_whole_then_only_what_changed()
    {
        var journal = new JsonLinesRunJournal(_path, _time);
        var state = RunStates.Empty(workers: 500);
        await journal.AppendAsync(state, CancellationToken.None);

        // When 500 nodes finish one after another, each recorded in the journal
        foreach (var (hop, _, node) in state.Plan.AllNodes())
        {
            state = state.WithNode(RunStates.Done(state.Plan, hop, node.Name), RunStates.Start.AddMinutes(1));
            await journal.AppendAsync(state, CancellationToken.None);
        }
        await journal.AppendAsync(state with { Status = RunStatus.Completed }, CancellationToken.None);

        // Then one line holds a whole state and every other line a delta of at most one node, and the file restores the final state
        var lines = File.ReadAllLines(_path);
        lines.Should().HaveCount(502);
        lines.Count(l => l.Contains("\"state\":", StringComparison.Ordinal)).Should().Be(1);
        lines.Skip(1).Should().OnlyContain(l => l.Contains("\"delta\":", StringComparison.Ordinal) && l.Length < 1000);
        var restored = JsonLinesRunJournal.LastState(_path);
        OrchestrationJson.Serialize(restored!).Should().Be(OrchestrationJson.Serialize(state with { Status = RunStatus.Completed }));
    }

    [Fact]
    public async Task Should_start_from_a_whole_state_for_each_run_and_each_process()
    {
        var first = RunStates.Finished(workers: 3);
        await new JsonLinesRunJournal(_path, _time).AppendAsync(first, CancellationToken.None);
        // A resumed run in a new process appends to the same file: its first line is whole again
        var resumed = first.WithNode(first.NodeAt(0, "worker-00002") with { Phase = NodePhase.Failed }, RunStates.Start);
        var journal = new JsonLinesRunJournal(_path, _time);
        await journal.AppendAsync(resumed, CancellationToken.None);
        var other = RunStates.Empty(workers: 2) with { RunId = "run-other" };
        await journal.AppendAsync(other, CancellationToken.None);

        File.ReadAllLines(_path).Should().OnlyContain(l => l.Contains("\"state\":", StringComparison.Ordinal));
        JsonLinesRunJournal.LastState(_path)!.RunId.Should().Be("run-other");
    }

    [Fact]
    public async Task Should_restore_from_an_older_journal_of_whole_states_and_skip_a_torn_last_line()
    {
        var state = RunStates.Finished(workers: 4);
        var line = "{\"time\":\"2026-03-01T12:00:00+00:00\",\"state\":" + OrchestrationJson.Serialize(state) + "}";
        await File.WriteAllTextAsync(_path, line + "\n" + line[..(line.Length / 2)]);

        OrchestrationJson.Serialize(JsonLinesRunJournal.LastState(_path)!).Should().Be(OrchestrationJson.Serialize(state));
    }
}
