namespace Drydock.Scheduling;

/// <summary>The open batch: nodes drained so far, where their pods would go, and an undo log to try one more node.</summary>
internal sealed partial class Placement
{
    private readonly bool[] _drained;
    /// <summary>Pods of the open batch placed on each node (original records: Node is where they come from).</summary>
    private readonly List<BatchPod>?[] _tentative;
    private readonly List<int> _members = [];
    private readonly List<int> _touched = [];
    private readonly List<BatchPod> _homeless = [];
    private readonly List<(Action Undo, int Node)> _log = [];
    private readonly List<int> _candidates = [];
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

    public int OpenHomelessCount => _homeless.Count;
    public IReadOnlyList<BatchPod> OpenHomeless => _homeless;

    /// <summary>Adds nodes to the open batch and places what they evict (their pods, and the batch's pods placed on them) largest first.</summary>
    /// <summary>
    /// Adds one node to the open batch when its evicted pods fit; otherwise undoes it. The batch's first node always
    /// joins; if even its pods alone find no room, the cluster is saturated and capacity cannot be kept by any
    /// order, so the batch is <paramref name="saturated"/> and later nodes join whatever they strand.
    /// </summary>
    public bool TryJoin(string node, bool first, ref bool saturated)
    {
        var checkpoint = Checkpoint();
        var before = _homeless.Count;
        Drain([node]);
        if (first) { saturated = _homeless.Count > 0; return true; }
        if (saturated || _homeless.Count == before) return true;
        Rollback(checkpoint);
        return false;
    }

    public void Drain(IEnumerable<string> nodes)
    {
        var toPlace = new List<BatchPod>();
        foreach (var name in nodes)
        {
            if (!_index.TryGetValue(name, out var i) || _drained[i]) continue;
            _drained[i] = true;
            _heap.Remove(i);
            _members.Add(i);
            Log(() => { _drained[i] = false; _members.RemoveAt(_members.Count - 1); }, i);
            toPlace.AddRange(_pods[i]);
            if (_tentative[i] is { Count: > 0 } placedHere)
            {
                // Pods the batch had put on this node must go elsewhere now that it is drained too.
                foreach (var p in placedHere) Unplace(p, i);
                toPlace.AddRange(placedHere);
                _tentative[i] = [];
                Log(() => _tentative[i] = placedHere, i);
            }
        }
        toPlace.Sort(static (a, b) =>
            a.Requests.MilliCpu != b.Requests.MilliCpu ? b.Requests.MilliCpu.CompareTo(a.Requests.MilliCpu)
            : a.Requests.MemoryBytes != b.Requests.MemoryBytes ? b.Requests.MemoryBytes.CompareTo(a.Requests.MemoryBytes)
            : string.CompareOrdinal(a.Key, b.Key));
        foreach (var pod in toPlace) Place(pod);
    }

    public int Checkpoint() => _log.Count;

    /// <summary>Undoes everything the open batch did since <paramref name="checkpoint"/>.</summary>
    public void Rollback(int checkpoint)
    {
        var nodes = new HashSet<int>();
        for (var k = _log.Count - 1; k >= checkpoint; k--)
        {
            _log[k].Undo();
            if (_log[k].Node >= 0) nodes.Add(_log[k].Node);
        }
        _log.RemoveRange(checkpoint, _log.Count - checkpoint);
        _noRoomFor.Clear();
        foreach (var i in nodes) Refresh(i);
    }

    public IReadOnlyList<(BatchPod Pod, string Target)> OpenMoves() =>
        [.. _touched.Where(t => _tentative[t] is not null).SelectMany(t => _tentative[t]!.Select(p => (p, _nodes[t].Name)))];

    /// <summary>The open batch happens: its pods move to their targets (homeless ones stay where they are).</summary>
    public void Commit()
    {
        var homeless = new HashSet<BatchPod>(_homeless, ReferenceEqualityComparer.Instance);
        foreach (var d in _members)
        {
            var stay = new List<BatchPod>();
            foreach (var p in _pods[d])
            {
                if (homeless.Contains(p)) { stay.Add(p); continue; }
                _used[d] -= p.Requests;
                foreach (var b in p.Budgets) CountBudget(d, b, -1);
            }
            _pods[d] = stay;
            _podsVersion[d]++;
        }
        foreach (var t in _touched)
        {
            if (_tentative[t] is not { } list) continue;
            foreach (var p in list) _pods[t].Add(p with { Node = _nodes[t].Name });
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

    private void Place(BatchPod pod)
    {
        // Spreading (the scheduler's default PodTopologySpread by hostname): among fitting nodes, prefer those
        // holding fewer pods of the same budget. Looked at among the few best-scored candidates to stay cheap.
        // The heap is in score order and a node that fits the pod scores at least its requests' shares: once the
        // best remaining score is below that, no node fits (saves scanning every full node for a homeless pod).
        var plain = pod.NodeSelector is null && pod.RequiredNodeAffinity is null && pod.Tolerations is not { Count: > 0 };
        if (plain && _noRoomFor.Exists(r => r.Fits(pod.Requests)))
        {
            _homeless.Add(pod);
            Log(() => _homeless.RemoveAt(_homeless.Count - 1), -1);
            return;
        }
        var floor = _fitFloor is { } f ? f.Cpu * pod.Requests.MilliCpu + f.Memory * pod.Requests.MemoryBytes - 1e-9 : double.MinValue;
        var limited = false;
        var skipped = 0;
        _heap.BeginWalk();
        while (_candidates.Count < SpreadCandidates && _heap.TryNext(out var i, out var score))
        {
            if (score < floor) break;
            if (skipped >= ScanLimit) { limited = true; break; }
            if (pod.Requests.Fits(_nodes[i].Allocatable - _used[i]) && Matches(pod, _nodes[i])) _candidates.Add(i);
            else skipped++;
        }
        var target = -1;
        var best = (Spread: int.MaxValue, Score: double.MinValue);
        foreach (var c in _candidates)
        {
            var spread = 0;
            foreach (var b in pod.Budgets) spread += _budgetCount.GetValueOrDefault((c, b));
            var score = Score(c);
            if (spread < best.Spread || (spread == best.Spread && (score > best.Score || (score == best.Score && string.CompareOrdinal(_nodes[c].Name, _nodes[target].Name) < 0))))
                (target, best) = (c, (spread, score));
        }
        if (target < 0)
        {
            if (plain && !limited) _noRoomFor.Add(pod.Requests); // only a full search proves there is no room
            _homeless.Add(pod);
            Log(() => _homeless.RemoveAt(_homeless.Count - 1), -1);
        }
        else PlaceOn(pod, target);
        _candidates.Clear();
    }

    private void PlaceOn(BatchPod pod, int target)
    {
        _used[target] += pod.Requests;
        foreach (var b in pod.Budgets) CountBudget(target, b, +1);
        if (_tentative[target] is not { } list) { _tentative[target] = list = []; _touched.Add(target); }
        list.Add(pod);
        Refresh(target);
        Log(() =>
        {
            _used[target] -= pod.Requests;
            foreach (var b in pod.Budgets) CountBudget(target, b, -1);
            list.RemoveAt(list.Count - 1);
        }, target);
    }

    private void Unplace(BatchPod pod, int from)
    {
        _used[from] -= pod.Requests;
        foreach (var b in pod.Budgets) CountBudget(from, b, -1);
        Log(() => { _used[from] += pod.Requests; foreach (var b in pod.Budgets) CountBudget(from, b, +1); }, from);
    }

    private void Log(Action undo, int node) => _log.Add((undo, node));

    /// <summary>Puts the node in the heap at its current score, or takes it out when no pod can land on it.</summary>
    private void Refresh(int i)
    {
        if (_nodes[i].Unschedulable || _drained[i] || !_smallest.Fits(_nodes[i].Allocatable - _used[i])) _heap.Remove(i);
        else _heap.Set(i, Score(i));
    }
}
