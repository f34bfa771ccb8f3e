namespace Drydock.Scheduling;

/// <summary>
/// The smart greedy. A batch costs its slowest node, so the order that reaches the sorted-solo-times bound
/// (<see cref="LowerBounds"/>) groups nodes by drain time; it runs quickest first — a quick node's pods have short
/// grace periods, so where they land does not slow the nodes still to come — with the partial batch
/// (nodes mod max-unavailable) first, so every later batch is full. A node is added when its pods fit elsewhere
/// and its PDBs do not make the batch wait longer than <see cref="WaitTolerance"/> allows; otherwise it is left
/// for a later batch (of slower nodes, where a shared PDB's round often costs nothing).
/// </summary>
internal sealed partial class ScheduleSimulation
{
    /// <summary>Nodes in a row whose pods found no room before a batch is closed: the cluster is out of room until it runs.</summary>
    private const int NoRoomLimit = 8;

    /// <summary>Each node's solo drain time and whether a PDB with no allowance blocks it, cached per <see cref="Placement.PodsVersion"/>.</summary>
    private readonly (int Version, TimeSpan Duration, bool Blocked)[] _solo = [.. Enumerable.Repeat((-1, TimeSpan.Zero, false), input.Nodes.Length)];
    private readonly BatchEvaluator _soloEvaluator = new(input.Budgets, options.Time);

    public IReadOnlyList<Batch> Smart(WaitTolerance tolerance)
    {
        var k = options.MaxUnavailable;
        while (_todo.Count > 0 && !Abandoned)
        {
            var ready = _todo.Where(n => !Solo(n).Blocked).ToList();
            if (ready.Count == 0)
            {
                // Nodes that cannot drain (a PDB with no allowance) go last and alone, so they hold no other node hostage.
                foreach (var n in _todo.ToList())
                {
                    if (Abandoned) break;
                    _placement.Drain([n]);
                    var alone = _batchEvaluator;
                    alone.Reset();
                    alone.Add(_placement.PodsOn(n));
                    Close([n], $"{Name(n)} alone and last: its drain waits on {string.Join(", ", alone.Result().Blocked)} (no disruption allowed)");
                }
                break;
            }
            // Quickest first; ties in inventory order (node ids are inventory order).
            ready.Sort((a, b) => _solo[a].Duration != _solo[b].Duration ? _solo[a].Duration.CompareTo(_solo[b].Duration) : a.CompareTo(b));
            var size = ready.Count % k == 0 ? k : ready.Count % k;
            NextBatch(ready, size, ready.Count, tolerance);
        }
        return _batches;
    }

    private void NextBatch(List<int> order, int size, int readyCount, WaitTolerance tolerance)
    {
        var eval = _batchEvaluator;
        eval.Reset();
        var members = new List<int>();
        var skipped = 0;
        var saturated = false;
        var noRoom = 0;
        foreach (var n in order)
        {
            if (members.Count >= size) break;
            var pods = _placement.PodsOn(n);
            if (members.Count > 0)
            {
                var natural = Max(eval.Duration, Solo(n).Duration);
                var penalty = eval.Peek(pods) - natural;
                var skip = penalty > Allowed(tolerance, natural, size);
                if (skip != penalty > Allowed(Other(tolerance), natural, size)) OtherToleranceDiffers = true;
                if (skip) { skipped++; continue; }
            }
            if (!_placement.TryJoin(n, members.Count == 0, ref saturated))
            {
                skipped++;
                if (++noRoom >= NoRoomLimit) break;
                continue;
            }
            noRoom = 0;
            eval.Add(pods);
            members.Add(n);
        }
        Close(members, Reason(members, eval.Result(), size, readyCount, skipped) + Saturated(saturated));
    }

    private string Saturated(bool saturated) => saturated
        ? $"; {_placement.OpenHomelessCount} evicted pod(s) find no room: the cluster has none even for the first node's pods, so no order keeps them scheduled"
        : "";

    /// <summary>
    /// Whether a <see cref="Smart"/> run met a node that the other <see cref="WaitTolerance"/> would have judged
    /// differently. Until then both greedies make the same choices on the same state, so when this stays false the
    /// other tolerance's run would produce the very same schedule and need not be simulated.
    /// </summary>
    public bool OtherToleranceDiffers { get; private set; }

    private static WaitTolerance Other(WaitTolerance tolerance) =>
        tolerance == WaitTolerance.None ? WaitTolerance.ShareOfBatch : WaitTolerance.None;

    private static TimeSpan Allowed(WaitTolerance tolerance, TimeSpan natural, int size) => tolerance switch
    {
        WaitTolerance.None => TimeSpan.Zero,
        _ => natural / size,
    };

    private string Reason(List<int> members, BatchEvaluator.Evaluation eval, int size, int readyCount, int skipped)
    {
        var k = options.MaxUnavailable;
        var left = skipped > 0 ? $" ({skipped} other node(s) left for later: shared PDBs or capacity)" : "";
        if (members.Count == 1)
        {
            var n = Name(members[0]);
            if (eval.Waits.Count > 0) return $"{n} alone: its own pods exceed the allowance of {string.Join(", ", eval.Waits)}, so its drain waits a round for replacements{left}";
            if (skipped > 0) return $"{n} alone: draining it with any other node would exceed a PDB's allowance or capacity";
            if (k == 1) return $"{n}: quickest safe node next (max-unavailable 1)";
            return readyCount == 1 ? $"{n}: last node" : $"{n}: quickest node, alone so the other {readyCount - 1} fill batches of {k}";
        }
        var times = members.Select(m => Solo(m).Duration).ToList();
        var similar = size < k ? $"the {members.Count} quickest nodes first, so the other batches are full" : $"similar drain times ({Fmt(times.Min())}–{Fmt(times.Max())})";
        return $"{Names(members)} together: {similar}; " + (eval.Waits.Count == 0
            ? "their pods' PDBs stay within allowance and evicted pods fit elsewhere"
            : $"evicted pods fit elsewhere; {eval.Waits.Count} shared PDB(s) make the drains wait a round for replacements, cheaper than another batch") + left;
    }

    private (TimeSpan Duration, bool Blocked) Solo(int node)
    {
        var version = _placement.PodsVersion(node);
        if (_solo[node] is var s && s.Version == version) return (s.Duration, s.Blocked);
        var pods = _placement.PodsOn(node);
        var blocked = false;
        foreach (var p in pods)
            if (p.Healthy)
                foreach (var b in p.Budgets)
                    blocked |= input.Budgets.Allowed(b) <= 0;
        _soloEvaluator.Reset();
        var duration = _soloEvaluator.Peek(pods);
        _solo[node] = (version, duration, blocked);
        return (duration, blocked);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Fmt(TimeSpan t) => t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0}s";
}
