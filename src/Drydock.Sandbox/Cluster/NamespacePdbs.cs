using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The PDBs of one namespace with their selectors, indexed by a label each selector requires, so finding the
/// PDBs that may cover a pod costs what matches its labels, not what the namespace holds (hundreds of PDBs per
/// namespace in 150,000-pod rehearsals).</summary>
internal sealed class NamespacePdbs
{
    private readonly Dictionary<string, LabelSelectorExpr> _selectors = new(StringComparer.Ordinal);
    // Label key → value → PDB uids. Keyed by the label's key first: a pod's labels are mostly ones no budget requires
    // (pod-template-hash), skipped without reading their values; ordinal string keys hash faster than tuples.
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _byLabel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unanchored = new(StringComparer.Ordinal);

    public int Count => _selectors.Count;

    /// <summary>Labels object → the PDBs whose selector matches it, for the PDB set of <see cref="_matchingFor"/>.
    /// Keyed by identity: a stored labels object is never edited (a new version that changes labels owns a new one,
    /// see CopyOnWrite), and the pods of one ReplicaSet share theirs — so every change of any of its pods, and every
    /// eviction, asks the same question of the same object.</summary>
    private readonly Dictionary<JsonObject, (string Uid, LabelSelectorExpr Selector)[]> _matching = new(ReferenceEqualityComparer.Instance);
    private int _version, _matchingFor;

    /// <summary>Forgetting everything past this many labels objects bounds what the cache keeps alive.</summary>
    private const int MatchingCacheLimit = 100_000;

    /// <summary>The PDBs whose selector matches <paramref name="labels"/>, in <see cref="Candidates"/> order. The
    /// caller must not edit <paramref name="labels"/> afterwards (stored versions are never edited).</summary>
    public (string Uid, LabelSelectorExpr Selector)[] Matching(JsonObject? labels)
    {
        if (labels is null) return Match(null);
        if (_matchingFor != _version || _matching.Count >= MatchingCacheLimit) { _matching.Clear(); _matchingFor = _version; }
        if (!_matching.TryGetValue(labels, out var found)) _matching[labels] = found = Match(labels);
        return found;
    }

    private (string Uid, LabelSelectorExpr Selector)[] Match(JsonObject? labels)
    {
        List<(string, LabelSelectorExpr)>? found = null;
        foreach (var (uid, selector) in Candidates(labels))
            if (selector.Matches(labels) && (found is null || !found.Exists(f => f.Item1 == uid))) (found ??= []).Add((uid, selector));
        return found is null ? [] : [.. found];
    }

    public void Set(string uid, LabelSelectorExpr selector)
    {
        Remove(uid);
        _version++;
        _selectors[uid] = selector;
        if (selector.RequiredLabel() is { } label)
        {
            if (!_byLabel.TryGetValue(label.Key, out var byValue)) _byLabel[label.Key] = byValue = new(StringComparer.Ordinal);
            if (!byValue.TryGetValue(label.Value, out var set)) byValue[label.Value] = set = new(StringComparer.Ordinal);
            set.Add(uid);
        }
        else _unanchored.Add(uid);
    }

    public void Remove(string uid)
    {
        if (!_selectors.Remove(uid, out var old)) return;
        _version++;
        if (old.RequiredLabel() is { } label && _byLabel.TryGetValue(label.Key, out var byValue)
            && byValue.TryGetValue(label.Value, out var set) && set.Remove(uid) && set.Count == 0
            && byValue.Remove(label.Value) && byValue.Count == 0)
            _byLabel.Remove(label.Key);
        _unanchored.Remove(uid);
    }

    /// <summary>The PDBs (uid, selector) whose selector can match these labels (null: every PDB); callers still test the selector.</summary>
    public IEnumerable<(string Uid, LabelSelectorExpr Selector)> Candidates(JsonObject? labels)
    {
        if (labels is null)
        {
            foreach (var (uid, sel) in _selectors) yield return (uid, sel);
            yield break;
        }
        foreach (var uid in _unanchored) yield return (uid, _selectors[uid]);
        if (_byLabel.Count == 0) yield break;
        foreach (var (k, v) in labels)
            if (_byLabel.TryGetValue(k, out var byValue) && v is JsonValue jv && jv.TryGetValue<string>(out var s) && byValue.TryGetValue(s, out var set))
                foreach (var uid in set) yield return (uid, _selectors[uid]);
    }
}
