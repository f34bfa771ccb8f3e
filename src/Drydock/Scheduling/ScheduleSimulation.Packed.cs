namespace Drydock.Scheduling;

/// <summary>
/// The packing variant of smart: decide every batch up front, then run them. Nodes are taken slowest first and each
/// goes to the batch it makes least longer — a batch whose slowest node is already slower costs nothing more unless
/// a shared PDB makes it wait — or opens a batch of its own when every batch with room would grow by more than the
/// node's own time. Without PDB waits this is exactly the chunking of the sorted-solo-times bound; with them, nodes
/// of one Deployment (which often have the same drain time, because its grace period sets it) spread over batches
/// instead of queueing behind each other. The batches then run quickest first, each checked against the live
/// placement (a node whose pods would find no room waits for a later batch).
/// </summary>
internal sealed partial class ScheduleSimulation
{
    public IReadOnlyList<Batch> Packed()
    {
        var k = options.MaxUnavailable;
        var ready = _todo.Where(n => !Solo(n).Blocked).ToList();
        // Slowest first; ties in inventory order (node ids are inventory order).
        ready.Sort((a, b) => _solo[a].Duration != _solo[b].Duration ? _solo[b].Duration.CompareTo(_solo[a].Duration) : a.CompareTo(b));
        // Batch j's level is the slowest node the sorted chunking would give it (t[j·k+1]): a node that raises a batch
        // to its level costs nothing more than that chunking, so the first nodes spread over batches instead of
        // piling into one and waiting on each other's PDBs.
        var count = (ready.Count + k - 1) / k;
        var bins = Enumerable.Range(0, count).Select(j => (Eval: new BatchEvaluator(input.Budgets, options.Time), Nodes: new List<int>(), Level: Solo(ready[j * k]).Duration)).ToList();
        var open = Enumerable.Range(0, count).ToList();
        foreach (var n in ready)
        {
            var pods = _placement.PodsOn(n);
            var best = -1;
            var bestCost = TimeSpan.MaxValue;
            foreach (var b in open)
            {
                var (eval, nodes, level) = bins[b];
                var marginal = eval.Peek(pods) - (nodes.Count == 0 || eval.Duration < level ? level : eval.Duration);
                if (marginal < bestCost) (best, bestCost) = (b, marginal);
            }
            bins[best].Eval.Add(pods);
            bins[best].Nodes.Add(n);
            if (bins[best].Nodes.Count >= k) open.Remove(best);
        }
        foreach (var (_, nodes, _) in bins.OrderBy(b => b.Eval.Duration).ThenBy(b => b.Nodes[0]))
        {
            if (Abandoned) break;
            RunPlanned(nodes, bins.Count);
        }
        // Nodes a planned batch could not take (no room for their pods, or blocked since) and blocked nodes: the greedy.
        return Smart(WaitTolerance.None);
    }

    private void RunPlanned(List<int> planned, int batches)
    {
        var eval = _batchEvaluator;
        eval.Reset();
        var members = new List<int>();
        var deferred = 0;
        var saturated = false;
        var noRoom = 0;
        foreach (var n in planned)
        {
            if (Solo(n).Blocked) { deferred++; continue; }
            if (noRoom >= NoRoomLimit || !_placement.TryJoin(n, members.Count == 0, ref saturated)) { deferred++; noRoom++; continue; }
            noRoom = 0;
            eval.Add(_placement.PodsOn(n));
            members.Add(n);
        }
        if (members.Count == 0) { _placement.Discard(); return; }
        var result = eval.Result();
        var times = members.Select(m => Solo(m).Duration).ToList();
        var reason = members.Count == 1
            ? $"{Name(members[0])} alone: packed on its own (no batch with room would take it for less than its own time)"
            : $"{Names(members)} together: packed by drain time ({Fmt(times.Min())}–{Fmt(times.Max())}) into {batches} batches, quickest first; " + (result.Waits.Count == 0
                ? "their pods' PDBs stay within allowance and evicted pods fit elsewhere"
                : $"evicted pods fit elsewhere; {result.Waits.Count} shared PDB(s) make the drains wait a round for replacements, cheaper than another batch");
        Close(members, reason + Saturated(saturated) + (deferred > 0 ? $" ({deferred} planned node(s) left for later: capacity or a PDB with no allowance)" : ""));
    }
}
