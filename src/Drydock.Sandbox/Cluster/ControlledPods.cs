namespace Drydock.Sandbox.Cluster;

/// <summary>
/// Controller uid → what a ReplicaSet's pass reads of each pod it controls (active, ready), kept up to date from
/// store changes. A ReplicaSet pass then counts its pods from here instead of listing the objects it owns and
/// re-reading each pod's JSON (ownerReferences, deletionTimestamp, phase, conditions) — one pass per eviction,
/// replacement start and termination in a rehearsal. Pods are keyed by uid, controllers by the uid in the pod's
/// controller ownerReference (whatever its kind, as the pass's own listing would find them).
/// </summary>
internal sealed class ControlledPods
{
    private readonly Dictionary<string, Dictionary<string, (bool Active, bool Ready)>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ownerOf = new(StringComparer.Ordinal);

    /// <summary>Records the current version of a pod: <paramref name="owner"/> is its controller's uid, or null when
    /// it has none (then it is only forgotten).</summary>
    public void Set(string podUid, string? owner, bool active, bool ready)
    {
        if (_ownerOf.TryGetValue(podUid, out var before) && before != owner) Remove(podUid);
        if (owner is null) return;
        if (!_byOwner.TryGetValue(owner, out var pods)) _byOwner[owner] = pods = new(StringComparer.Ordinal);
        pods[podUid] = (active, ready);
        _ownerOf[podUid] = owner;
    }

    /// <summary>The pod is gone from the store.</summary>
    public void Remove(string podUid)
    {
        if (!_ownerOf.Remove(podUid, out var owner)) return;
        if (_byOwner.TryGetValue(owner, out var pods) && pods.Remove(podUid) && pods.Count == 0) _byOwner.Remove(owner);
    }

    /// <summary>How many of the owner's pods are active, and how many of those are ready.</summary>
    public (int Active, int Ready) Count(string owner)
    {
        if (!_byOwner.TryGetValue(owner, out var pods)) return (0, 0);
        int active = 0, ready = 0;
        foreach (var (_, facts) in pods)
        {
            if (!facts.Active) continue;
            active++;
            if (facts.Ready) ready++;
        }
        return (active, ready);
    }

    /// <summary>Every record, for tests that compare it with a count from the store.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, (bool Active, bool Ready)>> Records => _byOwner;
}
