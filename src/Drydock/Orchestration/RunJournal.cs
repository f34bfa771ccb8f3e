namespace Drydock.Orchestration;

/// <summary>The local mirror of a run: every event (with command output) and every state change, as JSON lines.</summary>
public interface IRunJournal
{
    Task AppendAsync(RolloutEvent e, CancellationToken ct);
    Task AppendAsync(RunState state, CancellationToken ct);
}

/// <summary>Appends to one file; flushed per line so a crash loses at most the line being written.</summary>
public sealed class JsonLinesRunJournal(string path, TimeProvider time) : IRunJournal
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Path { get; } = path;

    public Task AppendAsync(RolloutEvent e, CancellationToken ct) => Write(new JournalLine { Time = time.GetUtcNow(), Event = e });

    public Task AppendAsync(RunState state, CancellationToken ct) => Write(new JournalLine { Time = time.GetUtcNow(), State = state });

    private async Task Write(JournalLine line)
    {
        var text = OrchestrationJson.Serialize(line) + "\n";
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            var dir = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            await File.AppendAllTextAsync(Path, text, CancellationToken.None);
        }
        finally { _gate.Release(); }
    }

    /// <summary>The last state recorded in a journal file (to restore the ConfigMap if it was deleted).</summary>
    public static RunState? LastState(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => { try { return OrchestrationJson.DeserializeLine(l); } catch (System.Text.Json.JsonException) { return null; } })
                .LastOrDefault(l => l?.State is not null)?.State
            : null;
}

/// <summary>For callers that keep no local journal.</summary>
public sealed class NoRunJournal : IRunJournal
{
    public static NoRunJournal Instance { get; } = new();
    public Task AppendAsync(RolloutEvent e, CancellationToken ct) => Task.CompletedTask;
    public Task AppendAsync(RunState state, CancellationToken ct) => Task.CompletedTask;
}
