namespace Drydock.Orchestration;

/// <summary>The local mirror of a run: every event (with command output) and every state change, as JSON lines.</summary>
public interface IRunJournal
{
    Task AppendAsync(RolloutEvent e, CancellationToken ct);
    Task AppendAsync(RunState state, CancellationToken ct);
}

/// <summary>
/// Appends to one file; flushed per line so a crash loses at most the line being written. The first state this
/// journal records for a run is written whole; each later one as a delta (header fields and the nodes whose progress
/// changed), so recording the state as nodes finish costs O(changes), not O(nodes), per line.
/// </summary>
public sealed class JsonLinesRunJournal(string path, TimeProvider time) : IRunJournal
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>The state the file's last state line describes; deltas are taken against it.</summary>
    private RunState? _journaled;

    public string Path { get; } = path;

    public Task AppendAsync(RolloutEvent e, CancellationToken ct) => Write(() => new JournalLine { Time = time.GetUtcNow(), Event = e });

    public Task AppendAsync(RunState state, CancellationToken ct) => Write(() =>
    {
        var previous = _journaled;
        _journaled = state;
        return previous is not null && previous.RunId == state.RunId && ReferenceEquals(previous.Plan, state.Plan)
            ? new JournalLine { Time = time.GetUtcNow(), Delta = RunStateDelta.Between(previous, state) }
            : new JournalLine { Time = time.GetUtcNow(), State = state };
    });

    /// <summary>The line is built inside the gate, so a delta is always against the state line written just before it.</summary>
    private async Task Write(Func<JournalLine> line)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            var text = OrchestrationJson.Serialize(line()) + "\n";
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            await File.AppendAllTextAsync(Path, text, CancellationToken.None);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// The last state recorded in a journal file (to restore the ConfigMap if it was deleted): the last whole state
    /// with the deltas written after it applied. Unreadable lines (a crash mid-write) are skipped.
    /// </summary>
    public static RunState? LastState(string path)
    {
        if (!File.Exists(path)) return null;
        RunState? state = null;
        foreach (var text in File.ReadLines(path))
        {
            JournalLine? line;
            try { line = OrchestrationJson.DeserializeLine(text); }
            catch (System.Text.Json.JsonException) { continue; }
            if (line?.State is { } whole) state = whole;
            else if (line?.Delta is { } delta && state is not null && state.RunId == delta.RunId) state = delta.ApplyTo(state);
        }
        return state;
    }
}

/// <summary>A journal line's change of the state since the journal's previous state line.</summary>
internal sealed record RunStateDelta
{
    public required string RunId { get; init; }
    public required RunStatus Status { get; init; }
    public required string Holder { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public RunFailure? Failure { get; init; }
    public bool AbortRequested { get; init; }
    /// <summary>Progress recorded or changed since the previous state line, in plan order.</summary>
    public IReadOnlyList<NodeProgress> Nodes { get; init; } = [];

    public static RunStateDelta Between(RunState before, RunState after) => new()
    {
        RunId = after.RunId, Status = after.Status, Holder = after.Holder, UpdatedAt = after.UpdatedAt, Failure = after.Failure,
        AbortRequested = after.AbortRequested, Nodes = after.Progress.ChangedSince(before.Progress).ToList(),
    };

    public RunState ApplyTo(RunState state)
    {
        var nodes = state.Progress;
        foreach (var p in Nodes) nodes = nodes.With(p);
        return state with { Status = Status, Holder = Holder, UpdatedAt = UpdatedAt, Failure = Failure, AbortRequested = AbortRequested, Nodes = nodes };
    }
}

/// <summary>For callers that keep no local journal.</summary>
public sealed class NoRunJournal : IRunJournal
{
    public static NoRunJournal Instance { get; } = new();
    public Task AppendAsync(RolloutEvent e, CancellationToken ct) => Task.CompletedTask;
    public Task AppendAsync(RunState state, CancellationToken ct) => Task.CompletedTask;
}
