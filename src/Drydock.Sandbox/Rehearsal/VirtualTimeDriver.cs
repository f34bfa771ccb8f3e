using Drydock.Common;
using Drydock.Sandbox.Cluster;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Runs asynchronous code (the orchestrator) against a <see cref="SandboxCluster"/> in virtual time. The code runs on
/// this thread under a single-threaded <see cref="SynchronizationContext"/>; whenever nothing is runnable — the
/// context's queue is empty and no work escaped to the thread pool (ConfigureAwait(false), Task.Run) is still
/// running — the clock jumps to the next due timer or cluster event and the cluster's controllers run
/// (<see cref="SandboxCluster.RunDue"/>). Waiting costs no wall time: a 6-hour upgrade rehearses in a second.
/// Deterministic: the drain library and the orchestrator keep every continuation on this context (no Task.Run, no
/// ConfigureAwait(false), no CancelAsync on their rehearsal paths), the queue runs in FIFO order and the clock fires
/// equal due times in the order they were set — so the same input gives the same API calls at the same virtual
/// times, on any machine. Work that still escapes to the pool is counted (<see cref="EscapedWork"/>) and waited for.
/// </summary>
public sealed partial class VirtualTimeDriver
{
    private readonly ManualTimeProvider _clock;
    private readonly SandboxCluster _cluster;
    private readonly SingleThreadPump _pump = new();

    public VirtualTimeDriver(ManualTimeProvider clock, SandboxCluster cluster)
    {
        _clock = clock;
        _cluster = cluster;
    }

    /// <summary>Called on the driver thread after every clock jump and controller pass (for recorders).</summary>
    public event Action<DateTimeOffset>? Advanced;

    /// <summary>
    /// How many times a pool thread started running the driven work. The drain library and the orchestrator keep their
    /// continuations on the driver's context, so this stays 0; anything else is work whose timing against the driver's
    /// queue is up to the OS scheduler — waited for, but a threat to a byte-identical prediction.
    /// </summary>
    public long EscapedWork => _pump.EscapedWork;

    /// <summary>Clock jumps made so far.</summary>
    public long Jumps { get; private set; }

    internal bool OnDriverThread => _pump.OnPumpThread;

    /// <summary>
    /// Runs <paramref name="work"/> until it completes, or until the clock would pass <paramref name="until"/>, or
    /// <paramref name="stop"/> returns a reason (checked after each jump) — then its token is cancelled and it is
    /// given a bounded amount of virtual time to wind down.
    /// </summary>
    public DriverOutcome<T> Run<T>(Func<CancellationToken, Task<T>> work, DateTimeOffset until, Func<DateTimeOffset, string?>? stop = null)
    {
        using var entered = _pump.Enter();
        using var cts = new CancellationTokenSource();
        string? stopped = null;
        var windDownJumps = 0;
        var task = work(cts.Token);
        while (true)
        {
            _pump.Pump();
            if (task.IsCompleted) break;
            if (_pump.Settle()) continue;
            var next = NextDue();
            if (stopped is null)
            {
                if (next is null) stopped = "nothing left to happen: every remaining step waits on something that never changes";
                else if (next > until) stopped = $"time limit reached ({until - StartOf(until):g} of virtual time)";
                else stopped = stop?.Invoke(_clock.GetUtcNow());
                if (stopped is not null) { cts.Cancel(); continue; }
            }
            else if (next is null || ++windDownJumps > 10_000) break; // abandoned: it does not react to cancellation
            Jump(next ?? _clock.GetUtcNow());
        }
        _pump.Pump();
        return new DriverOutcome<T>(task, stopped, _clock.GetUtcNow());
    }

    private DateTimeOffset _startedAt;
    private DateTimeOffset StartOf(DateTimeOffset until) => _startedAt == default ? until : _startedAt;

    /// <summary>Marks "now" as the start (for the time-limit message).</summary>
    public void MarkStart() => _startedAt = _clock.GetUtcNow();

    private DateTimeOffset? NextDue()
    {
        var a = _clock.NextDue;
        var b = _cluster.NextDue;
        return a is null ? b : b is null ? a : (a < b ? a : b);
    }

    private void Jump(DateTimeOffset to)
    {
        var now = _clock.GetUtcNow();
        if (to <= now) _clock.Advance(TimeSpan.Zero);
        else _clock.AdvanceTo(to);
        _cluster.RunDue();
        Jumps++;
        Advanced?.Invoke(_clock.GetUtcNow());
    }

    /// <summary>Runs <paramref name="action"/> on the driver thread (see <see cref="SingleThreadPump.Invoke{T}"/>).</summary>
    internal Task<T> Invoke<T>(Func<Task<T>> action) => _pump.Invoke(action);
}

/// <summary>How a driven run ended: its task (completed, or abandoned), why it was stopped (null if it finished), and when.</summary>
public sealed record DriverOutcome<T>(Task<T> Task, string? StoppedBecause, DateTimeOffset At)
{
    public bool Completed => Task.IsCompletedSuccessfully;

    /// <summary>The result of a completed run.</summary>
    public T Value => Task.IsCompletedSuccessfully ? Task.Result : throw new InvalidOperationException($"the run did not complete: {StoppedBecause}");
}
