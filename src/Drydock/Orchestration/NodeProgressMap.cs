using System.Diagnostics.CodeAnalysis;

namespace Drydock.Orchestration;

/// <summary>
/// A run's per-node progress, keyed like <see cref="RunState.Nodes"/> ("hop/node"), held in shards of
/// <see cref="ShardSize"/> slots in plan order (<see cref="RunLayout"/>). Immutable: <see cref="With"/> copies only
/// the shard it changes and shares the others, so recording a step costs O(64 + nodes/64) instead of copying every
/// node, and "which shards changed since the version I last wrote" is a reference comparison
/// (<see cref="ShardChangedSince"/>) — that is the dirty tracking the state store and the journal use to write only
/// what changed. <see cref="CompletedSteps"/> is kept up to date on each change, never recounted.
/// </summary>
public sealed class NodeProgressMap : IReadOnlyDictionary<string, NodeProgress>
{
    public const int ShardSize = 64;

    /// <summary>Null for a shard none of whose nodes has progress yet; else <see cref="ShardSize"/> slots, null where no progress.</summary>
    private readonly NodeProgress?[]?[] _shards;

    private NodeProgressMap(RunLayout layout, NodeProgress?[]?[] shards, int count, int completedSteps)
    {
        Layout = layout;
        _shards = shards;
        Count = count;
        CompletedSteps = completedSteps;
    }

    public RunLayout Layout { get; }

    /// <summary>Nodes with recorded progress.</summary>
    public int Count { get; }

    /// <summary>Completed (or skipped) steps over all nodes.</summary>
    public int CompletedSteps { get; }

    public int ShardCount => _shards.Length;

    public static NodeProgressMap Empty(RunLayout layout) => new(layout, new NodeProgress?[]?[layout.ShardCount], 0, 0);

    /// <summary>The map of a plan holding <paramref name="nodes"/> (keyed "hop/node"), in plan order.</summary>
    public static NodeProgressMap From(RunLayout layout, IEnumerable<KeyValuePair<string, NodeProgress>> nodes)
    {
        var map = Empty(layout);
        foreach (var (key, progress) in nodes) map = map.With(key, progress);
        return map;
    }

    /// <summary>This map with <paramref name="progress"/> recorded for its hop and node.</summary>
    public NodeProgressMap With(NodeProgress progress) => With(RunState.Key(progress.Hop, progress.Node), progress);

    private NodeProgressMap With(string key, NodeProgress progress)
    {
        var layout = Layout;
        if (!layout.TryGetSlot(key, out var slot))
        {
            layout = layout.WithExtraSlot(key);
            layout.TryGetSlot(key, out slot);
        }
        var shards = new NodeProgress?[]?[layout.ShardCount];
        Array.Copy(_shards, shards, _shards.Length);
        var (index, offset) = (slot / ShardSize, slot % ShardSize);
        var shard = shards[index] is { } old ? (NodeProgress?[])old.Clone() : new NodeProgress?[ShardSize];
        var previous = shard[offset];
        shard[offset] = progress;
        shards[index] = shard;
        return new NodeProgressMap(layout, shards, Count + (previous is null ? 1 : 0),
            CompletedSteps - (previous?.CompletedSteps.Count ?? 0) + progress.CompletedSteps.Count);
    }

    /// <summary>The progress recorded in one shard, in plan order.</summary>
    public IReadOnlyList<NodeProgress> Shard(int index) =>
        _shards[index] is { } shard ? shard.OfType<NodeProgress>().ToList() : [];

    /// <summary>
    /// Whether a shard differs from the same shard of an earlier version of this map (true when there is no earlier
    /// version, or it belongs to another layout): shards are never changed in place, so a different array is a change.
    /// </summary>
    public bool ShardChangedSince(int index, NodeProgressMap? earlier) =>
        earlier is null || !ReferenceEquals(earlier.Layout, Layout) || index >= earlier._shards.Length || !ReferenceEquals(earlier._shards[index], _shards[index]);

    /// <summary>Progress recorded or changed since an earlier version of this map (everything if there is none), in plan order.</summary>
    public IEnumerable<NodeProgress> ChangedSince(NodeProgressMap? earlier)
    {
        for (var s = 0; s < _shards.Length; s++)
        {
            if (!ShardChangedSince(s, earlier) || _shards[s] is not { } shard) continue;
            var before = earlier is not null && ReferenceEquals(earlier.Layout, Layout) && s < earlier._shards.Length ? earlier._shards[s] : null;
            for (var i = 0; i < shard.Length; i++)
                if (shard[i] is { } p && !ReferenceEquals(p, before?[i])) yield return p;
        }
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out NodeProgress value)
    {
        value = Layout.TryGetSlot(key, out var slot) && slot / ShardSize < _shards.Length ? _shards[slot / ShardSize]?[slot % ShardSize] : null;
        return value is not null;
    }

    public NodeProgress this[string key] => TryGetValue(key, out var p) ? p : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<NodeProgress> Values => this.Select(kv => kv.Value);

    public IEnumerator<KeyValuePair<string, NodeProgress>> GetEnumerator()
    {
        for (var s = 0; s < _shards.Length; s++)
        {
            if (_shards[s] is not { } shard) continue;
            for (var i = 0; i < shard.Length; i++)
                if (shard[i] is { } p) yield return new(Layout.KeyAt(s * ShardSize + i), p);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
