namespace Drydock.Scheduling;

/// <summary>The open batch: nodes drained so far, where their pods would go, and an undo log to try one more node.</summary>
internal sealed partial class Placement
{
    private readonly bool[] _drained;
    /// <summary>Pods of the open batch placed on each node.</summary>
    private readonly List<DensePod>?[] _tentative;
    private readonly List<int> _members = [];
    private readonly List<int> _touched = [];
    private readonly List<DensePod> _homeless = [];
    private readonly List<Change> _log = [];
    private readonly List<int> _candidates = [];
    /// <summary>The candidates' LeastAllocated scores, as the heap holds them (<see cref="Refresh"/> keeps them current).</summary>
    private readonly List<double> _candidateScores = [];
    private readonly List<DensePod> _toPlace = [];
    private readonly HashSet<int> _rolledBack = [];
    /// <summary>
    /// Nodes looked at (in LeastAllocated order) before a pod counts as finding no room. The scheduler filters every
    /// node; this stops a saturated cluster from costing a full scan per pod. Conservative: a pod is at worst reported
    /// homeless (and its node kept out of a bigger batch), never placed where it does not fit.
    /// </summary>
    private const int ScanLimit = 256;
    /// <summary>Requests of unconstrained pods that found no node in the open batch: room only shrinks until a rollback or close.</summary>
    private readonly List<Resources> _noRoomFor = [];
    /// <summary>The nodes a pod may land on (schedulable, not drained, room for the smallest pod) by LeastAllocated
    /// score, kept across batches: <see cref="Refresh"/> after any change to a node's room or state.</summary>
    private readonly NodeHeap _heap;

    private enum ChangeKind { Drained, TentativeCleared, Homeless, Placed, Unplaced }

    /// <summary>One entry of the undo log (a struct, not a closure: the log takes an entry per placed pod).</summary>
    private readonly record struct Change(ChangeKind Kind, int Node, DensePod? Pod = null, List<DensePod>? List = null);

    public int OpenHomelessCount => _homeless.Count;
    public IReadOnlyList<DensePod> OpenHomeless => _homeless;

    /// <summary>
    /// Adds one node to the open batch when its evicted pods fit; otherwise undoes it. The batch's first node always
    /// joins; if even its pods alone find no room, the cluster is saturated and capacity cannot be kept by any
    /// order, so the batch is <paramref name="saturated"/> and later nodes join whatever they strand.
    /// </summary>
    public bool TryJoin(int node, bool first, ref bool saturated)
    {
        var checkpoint = Checkpoint();
        var before = _homeless.Count;
        Drain([node]);
        if (first) { saturated = _homeless.Count > 0; return true; }
        if (saturated || _homeless.Count == before) return true;
        Rollback(checkpoint);
        return false;
    }

    /// <summary>Adds nodes to the open batch and places what they evict (their pods, and the batch's pods placed on them) largest first.</summary>
    public void Drain(IEnumerable<int> nodes)
    {
        var toPlace = _toPlace;
        toPlace.Clear();
        foreach (var i in nodes)
        {
            if (_drained[i]) continue;
            _drained[i] = true;
            _heap.Remove(i);
            _members.Add(i);
            _log.Add(new Change(ChangeKind.Drained, i));
            toPlace.AddRange(_pods[i]);
            if (_tentative[i] is { Count: > 0 } placedHere)
            {
                // Pods the batch had put on this node must go elsewhere now that it is drained too.
                foreach (var p in placedHere) Unplace(p, i);
                toPlace.AddRange(placedHere);
                _tentative[i] = [];
                _log.Add(new Change(ChangeKind.TentativeCleared, i, List: placedHere));
            }
        }
        toPlace.Sort(static (a, b) => a.PlaceOrder.CompareTo(b.PlaceOrder));
        foreach (var pod in toPlace) Place(pod);
        toPlace.Clear();
    }

    public int Checkpoint() => _log.Count;

    /// <summary>Undoes everything the open batch did since <paramref name="checkpoint"/>.</summary>
    public void Rollback(int checkpoint)
    {
        var nodes = _rolledBack;
        for (var k = _log.Count - 1; k >= checkpoint; k--)
        {
            var change = _log[k];
            Undo(change);
            if (change.Node >= 0) nodes.Add(change.Node);
        }
        _log.RemoveRange(checkpoint, _log.Count - checkpoint);
        _noRoomFor.Clear();
        foreach (var i in nodes) Refresh(i);
        nodes.Clear();
    }

    private void Undo(Change change)
    {
        var i = change.Node;
        switch (change.Kind)
        {
            case ChangeKind.Drained:
                _drained[i] = false;
                _members.RemoveAt(_members.Count - 1);
                break;
            case ChangeKind.TentativeCleared:
                _tentative[i] = change.List;
                break;
            case ChangeKind.Homeless:
                _homeless.RemoveAt(_homeless.Count - 1);
                break;
            case ChangeKind.Placed:
                _used[i] -= change.Pod!.Requests;
                foreach (var b in change.Pod.Budgets) CountBudget(i, b, -1);
                change.List!.RemoveAt(change.List.Count - 1);
                break;
            case ChangeKind.Unplaced:
                _used[i] += change.Pod!.Requests;
                foreach (var b in change.Pod.Budgets) CountBudget(i, b, +1);
                break;
        }
    }

    /// <summary>The open batch happens: its pods move to their targets (homeless ones stay where they are).</summary>
    public void Commit()
    {
        var homeless = _homeless.Count == 0 ? null : new HashSet<DensePod>(_homeless, ReferenceEqualityComparer.Instance);
        foreach (var d in _members)
        {
            var stay = new List<DensePod>();
            foreach (var p in _pods[d])
            {
                if (homeless is not null && homeless.Contains(p)) { stay.Add(p); continue; }
                _used[d] -= p.Requests;
                foreach (var b in p.Budgets) CountBudget(d, b, -1);
            }
            _pods[d] = stay;
            _podsVersion[d]++;
        }
        foreach (var t in _touched)
        {
            if (_tentative[t] is not { } list) continue;
            _pods[t].AddRange(list);
            if (list.Count > 0) _podsVersion[t]++;
        }
        Close();
    }

    /// <summary>Forgets the open batch.</summary>
    public void Discard()
    {
        Rollback(0);
        Close();
    }

    private void Close()
    {
        foreach (var t in _touched) _tentative[t] = null;
        foreach (var d in _members) { _drained[d] = false; Refresh(d); }
        _touched.Clear();
        _members.Clear();
        _homeless.Clear();
        _log.Clear();
        _noRoomFor.Clear();
    }

    private void Place(DensePod pod)
    {
        // Spreading (the scheduler's default PodTopologySpread by hostname): among fitting nodes, prefer those
        // holding fewer pods of the same budget. Looked at among the few best-scored candidates to stay cheap.
        // The heap is in score order and a node that fits the pod scores at least its requests' shares: once the
        // best remaining score is below that, no node fits (saves scanning every full node for a homeless pod).
        var requests = pod.Requests;
        if (pod.Plain && NoRoomFor(requests))
        {
            AddHomeless(pod);
            return;
        }
        var floor = _fitFloor is { } f ? f.Cpu * requests.MilliCpu + f.Memory * requests.MemoryBytes - 1e-9 : double.MinValue;
        var limited = false;
        var skipped = 0;
        _heap.BeginWalk();
        while (_candidates.Count < SpreadCandidates && _heap.TryNext(out var i, out var score))
        {
            if (score < floor) break;
            if (skipped >= ScanLimit) { limited = true; break; }
            if (requests.Fits(_allocatable[i] - _used[i]) && Matches(pod, i)) { _candidates.Add(i); _candidateScores.Add(score); }
            else skipped++;
        }
        var target = -1;
        var best = (Spread: int.MaxValue, Score: double.MinValue);
        for (var k = 0; k < _candidates.Count; k++)
        {
            var c = _candidates[k];
            var spread = 0;
            foreach (var b in pod.Budgets) spread += BudgetCount(c, b);
            var score = _candidateScores[k];
            if (spread < best.Spread || (spread == best.Spread && (score > best.Score || (score == best.Score && _nameRank[c] < _nameRank[target]))))
                (target, best) = (c, (spread, score));
        }
        _candidates.Clear();
        _candidateScores.Clear();
        if (target < 0)
        {
            if (pod.Plain && !limited) _noRoomFor.Add(requests); // only a full search proves there is no room
            AddHomeless(pod);
        }
        else PlaceOn(pod, target);
    }

    private bool NoRoomFor(Resources requests)
    {
        foreach (var r in _noRoomFor)
            if (r.Fits(requests)) return true;
        return false;
    }

    private void AddHomeless(DensePod pod)
    {
        _homeless.Add(pod);
        _log.Add(new Change(ChangeKind.Homeless, -1));
    }

    private void PlaceOn(DensePod pod, int target)
    {
        _used[target] += pod.Requests;
        foreach (var b in pod.Budgets) CountBudget(target, b, +1);
        if (_tentative[target] is not { } list) { _tentative[target] = list = []; _touched.Add(target); }
        list.Add(pod);
        Refresh(target);
        _log.Add(new Change(ChangeKind.Placed, target, pod, list));
    }

    private void Unplace(DensePod pod, int from)
    {
        _used[from] -= pod.Requests;
        foreach (var b in pod.Budgets) CountBudget(from, b, -1);
        _log.Add(new Change(ChangeKind.Unplaced, from, pod));
    }

    /// <summary>Puts the node in the heap at its current score, or takes it out when no pod can land on it.</summary>
    private void Refresh(int i)
    {
        if (_nodes[i].Unschedulable || _drained[i] || !_smallest.Fits(_allocatable[i] - _used[i])) _heap.Remove(i);
        else _heap.Set(i, Score(i));
    }
}
