using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Drydock.Common;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>What one save puts in the state ConfigMap: data and binaryData keys to set (null: remove), and the state keys it holds after.</summary>
internal sealed record StateChanges(IReadOnlyDictionary<string, string?> Data, IReadOnlyDictionary<string, string?> BinaryData, IReadOnlySet<string> KeysAfter);

/// <summary>The small part of a format-2 state written on every save (run.json).</summary>
internal sealed record RunHeader
{
    public required int Format { get; init; }
    public required string RunId { get; init; }
    public required RunStatus Status { get; init; }
    public required string Holder { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public RunFailure? Failure { get; init; }
    public bool AbortRequested { get; init; }
    /// <summary>For people reading the ConfigMap; the progress shards are what counts.</summary>
    public int CompletedSteps { get; init; }
    public int TotalSteps { get; init; }
}

/// <summary>
/// Format 2 of the run state in a ConfigMap: run.json (header), plan.json (the plan, written when a run starts) and
/// nodes-NNNN.json (the progress of slots NNNN×64 … NNNN×64+63 of <see cref="RunLayout"/>). Past
/// <see cref="CompressAboveNodes"/> node entries the plan and shards are gzipped into binaryData ("….json.gz").
/// </summary>
internal static class RunStateFormat
{
    public const int Version = 2;
    public const string HeaderKey = "run.json";
    public const string PlanKey = "plan.json";
    public const string ShardPrefix = "nodes-";
    public const string LegacyKey = "state.json";
    public const string LegacyCompressedKey = "state.json.gz";
    public const string GzipSuffix = ".gz";

    /// <summary>
    /// Below this many (hop, node) entries the state stays plain JSON that `kubectl get cm -o yaml` shows; above, a
    /// plain 5,000-node state (~0.4 KiB a node) would pass the 1 MiB ConfigMap limit, gzipped it takes ~13 bytes a node.
    /// </summary>
    public const int CompressAboveNodes = 256;

    public static string ShardKey(int index) => $"{ShardPrefix}{index:0000}.json";

    public static bool Compressed(RunState state) => state.Progress.Layout.SlotCount > CompressAboveNodes;

    /// <summary>Keys of a ConfigMap that hold run state (either format), i.e. everything but the abort request.</summary>
    public static IReadOnlySet<string> StateKeys(ConfigMap cm) =>
        (cm.Data?.Keys ?? []).Concat(cm.BinaryData?.Keys ?? []).Where(IsStateKey).ToHashSet(StringComparer.Ordinal);

    private static bool IsStateKey(string key)
    {
        var bare = key.EndsWith(GzipSuffix, StringComparison.Ordinal) ? key[..^GzipSuffix.Length] : key;
        return bare is HeaderKey or PlanKey or LegacyKey || (bare.StartsWith(ShardPrefix, StringComparison.Ordinal) && bare.EndsWith(".json", StringComparison.Ordinal));
    }

    /// <summary>
    /// The keys a save of <paramref name="state"/> writes. After <paramref name="previous"/> of the same run and plan,
    /// the header and the shards changed since; otherwise (first save, new run) everything, removing the
    /// <paramref name="keysBefore"/> it does not rewrite (a previous run's shards, a format-1 state).
    /// </summary>
    public static StateChanges Changes(RunState state, RunState? previous, IReadOnlySet<string> keysBefore)
    {
        var compressed = Compressed(state);
        var full = previous is null || previous.RunId != state.RunId || !ReferenceEquals(previous.Plan, state.Plan) || Compressed(previous) != compressed;
        var data = new Dictionary<string, string?>(StringComparer.Ordinal);
        var binary = new Dictionary<string, string?>(StringComparer.Ordinal);
        var keys = full ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(keysBefore, StringComparer.Ordinal);

        // Compressed values are gzipped straight from the serializer's UTF-8: as a string first, every save of a
        // 1,000-node rehearsal's shards made 111 MiB of strings only to encode them back.
        string Encode<T>(T value, JsonTypeInfo<T> type) =>
            compressed ? Gzip(Utf8(value, type)) : JsonSerializer.Serialize(value, type);
        string EncodeShard(IReadOnlyList<NodeProgress> entries) =>
            compressed ? Gzip(ShardUtf8(entries)) : JsonSerializer.Serialize(entries, OrchestrationJsonContext.Default.IReadOnlyListNodeProgress);

        void Put(string key, string? encoded)
        {
            if (compressed) key += GzipSuffix;
            (compressed ? binary : data)[key] = encoded;
            if (encoded is null) keys.Remove(key); else keys.Add(key);
        }

        data[HeaderKey] = OrchestrationJson.Serialize(Header(state));
        keys.Add(HeaderKey);
        if (full) Put(PlanKey, Encode(state.Plan, OrchestrationJsonContext.Default.RolloutPlan));
        var map = state.Progress;
        for (var s = 0; s < map.ShardCount; s++)
        {
            if (!full && !map.ShardChangedSince(s, previous!.Progress)) continue;
            var entries = map.Shard(s);
            Put(ShardKey(s), entries.Count == 0 ? null : EncodeShard(entries));
        }
        if (full)
            foreach (var stale in keysBefore.Where(k => !keys.Contains(k)))
                (stale.EndsWith(GzipSuffix, StringComparison.Ordinal) ? binary : data).TryAdd(stale, null);
        return new StateChanges(data, binary, keys);
    }

    private static RunHeader Header(RunState s) => new()
    {
        Format = Version, RunId = s.RunId, Status = s.Status, Holder = s.Holder, StartedAt = s.StartedAt, UpdatedAt = s.UpdatedAt,
        Failure = s.Failure, AbortRequested = s.AbortRequested, CompletedSteps = s.CompletedSteps, TotalSteps = s.TotalSteps,
    };

    /// <summary>Whether a ConfigMap holds a state of this format (rather than format 1, or none).</summary>
    public static bool IsCurrent(ConfigMap cm) => cm.Data?.ContainsKey(HeaderKey) == true;

    /// <summary>The state a ConfigMap holds (format 2, else format 1), or null if it holds none.</summary>
    public static RunState? Decode(ConfigMap cm)
    {
        if (Read(cm, HeaderKey) is not { } headerJson)
            return Read(cm, LegacyKey) is { } legacy ? OrchestrationJson.DeserializeState(legacy) : null;
        var header = OrchestrationJson.DeserializeHeader(headerJson) ?? throw Corrupt($"{HeaderKey} is empty");
        if (header.Format > Version)
            throw new DrydockException(new OperationError(
                $"the run state in ConfigMap {RolloutConstants.Namespace}/{RolloutConstants.StateConfigMap} is format {header.Format}; this drydock reads up to format {Version}: use a newer drydock"));
        var plan = (Read(cm, PlanKey) is { } planJson ? OrchestrationJson.DeserializePlan(planJson) : null) ?? throw Corrupt($"{PlanKey} is missing");
        var shards = StateKeys(cm).Select(k => k.EndsWith(GzipSuffix, StringComparison.Ordinal) ? k[..^GzipSuffix.Length] : k)
            .Where(k => k.StartsWith(ShardPrefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        var entries = shards.SelectMany(k => OrchestrationJson.DeserializeShard(Read(cm, k)!) ?? []);
        return new RunState
        {
            RunId = header.RunId, Plan = plan, Status = header.Status, Holder = header.Holder, StartedAt = header.StartedAt, UpdatedAt = header.UpdatedAt,
            Failure = header.Failure, AbortRequested = header.AbortRequested,
            Nodes = NodeProgressMap.From(RunLayout.For(plan), entries.Select(p => KeyValuePair.Create(RunState.Key(p.Hop, p.Node), p))),
        };
    }

    /// <summary>A key's JSON, whether stored plain in data or gzipped in binaryData.</summary>
    private static string? Read(ConfigMap cm, string key) =>
        cm.BinaryData?.GetValueOrDefault(key + GzipSuffix) is { } packed ? Gunzip(packed) : cm.Data?.GetValueOrDefault(key);

    private static DrydockException Corrupt(string why) => new(new OperationError(
        $"the run state in ConfigMap {RolloutConstants.Namespace}/{RolloutConstants.StateConfigMap} is incomplete: {why}"));

    /// <summary>A JSON merge patch of the changes; null values remove keys.</summary>
    public static string MergePatch(StateChanges changes)
    {
        var body = new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["data"] = changes.Data };
        if (changes.BinaryData.Count > 0) body["binaryData"] = changes.BinaryData;
        return OrchestrationJson.Serialize(body);
    }

    /// <summary>The serializer's UTF-8 of <paramref name="value"/> in this thread's buffer, valid until the next call: a
    /// save serializes every changed shard (64 nodes' progress), and a new array per shard was most of a large
    /// rehearsal's byte allocation. The writer takes the options SerializeToUtf8Bytes would (same bytes).</summary>
    private static ReadOnlySpan<byte> Utf8<T>(T value, JsonTypeInfo<T> type)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var options = type.Options;
        if (t_writer is null || !ReferenceEquals(t_writerOptionsOf, options))
        {
            t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
            {
                Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth,
                IndentCharacter = options.IndentCharacter, IndentSize = options.IndentSize, NewLine = options.NewLine,
            });
            t_writerOptionsOf = options;
        }
        else t_writer.Reset(buffer);
        JsonSerializer.Serialize(t_writer, value, type);
        t_writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>A shard's UTF-8 as the serializer writes the list (the same bytes: no indentation, so "[", the
    /// entries joined by ",", "]"), from each node's progress serialized once. Progress records are immutable and a
    /// save rewrites a shard when one of its 64 nodes moved: the other 63 were serialized again for every step of
    /// every node, half of what a save cost.</summary>
    private static ReadOnlySpan<byte> ShardUtf8(IReadOnlyList<NodeProgress> entries)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        buffer.Write("["u8);
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0) buffer.Write(","u8);
            buffer.Write(ProgressUtf8.GetValue(entries[i], static p => JsonSerializer.SerializeToUtf8Bytes(p, ProgressType)));
        }
        buffer.Write("]"u8);
        return buffer.WrittenSpan;
    }

    private static readonly JsonTypeInfo<NodeProgress> ProgressType =
        (JsonTypeInfo<NodeProgress>)OrchestrationJsonContext.Default.GetTypeInfo(typeof(NodeProgress))!;

    /// <summary>Each live progress record's UTF-8; an entry goes with its record.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NodeProgress, byte[]> ProgressUtf8 = new();

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static JsonSerializerOptions? t_writerOptionsOf;

    /// <summary>Gzip level 4, not 6 (Optimal): a run saves its changed shards after every step of every batch, and
    /// level 4 compresses them in about half the time for 2 % more bytes (a 5,000-node state: 232 against 227 KiB,
    /// against 352 KiB at level 1).</summary>
    internal static string Gzip(ReadOnlySpan<byte> utf8)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, new ZLibCompressionOptions { CompressionLevel = 4 }, leaveOpen: true))
            gz.Write(utf8);
        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static string Gunzip(string base64)
    {
        using var gz = new GZipStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
