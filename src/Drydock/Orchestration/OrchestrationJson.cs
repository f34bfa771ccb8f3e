using System.Text.Json;
using System.Text.Json.Serialization;
using Drydock.Nodes;

namespace Drydock.Orchestration;

/// <summary>JSON for run state, journal lines and step events (not API objects, so not in KubeJsonContext).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(RolloutEvent))]
[JsonSerializable(typeof(JournalLine))]
[JsonSerializable(typeof(RunHeader))]
[JsonSerializable(typeof(RolloutPlan))]
[JsonSerializable(typeof(IReadOnlyList<NodeProgress>))]
[JsonSerializable(typeof(Dictionary<string, IReadOnlyDictionary<string, string?>>))]
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;

public static class OrchestrationJson
{
    public static string Serialize(RunState state) => JsonSerializer.Serialize(state, OrchestrationJsonContext.Default.RunState);

    public static RunState? DeserializeState(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.RunState);

    public static string Serialize(RolloutEvent e) => JsonSerializer.Serialize(e, OrchestrationJsonContext.Default.RolloutEvent);

    internal static string Serialize(JournalLine line) => JsonSerializer.Serialize(line, OrchestrationJsonContext.Default.JournalLine);

    internal static string Serialize(RunHeader header) => JsonSerializer.Serialize(header, OrchestrationJsonContext.Default.RunHeader);

    internal static RunHeader? DeserializeHeader(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.RunHeader);

    internal static string Serialize(RolloutPlan plan) => JsonSerializer.Serialize(plan, OrchestrationJsonContext.Default.RolloutPlan);

    internal static RolloutPlan? DeserializePlan(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.RolloutPlan);

    internal static string Serialize(IReadOnlyList<NodeProgress> shard) => JsonSerializer.Serialize(shard, OrchestrationJsonContext.Default.IReadOnlyListNodeProgress);

    internal static IReadOnlyList<NodeProgress>? DeserializeShard(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.IReadOnlyListNodeProgress);

    /// <summary>A ConfigMap merge patch: section ("data", "binaryData") to key to value (null removes the key).</summary>
    internal static string Serialize(Dictionary<string, IReadOnlyDictionary<string, string?>> patch) =>
        JsonSerializer.Serialize(patch, OrchestrationJsonContext.Default.DictionaryStringIReadOnlyDictionaryStringString);

    internal static JournalLine? DeserializeLine(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.JournalLine);
}

/// <summary>
/// One line of the local journal: an event, or the state after a change — whole (the first of a run in this file), or
/// as a delta against the previous state line — so the file alone can restore it.
/// </summary>
internal sealed record JournalLine
{
    public required DateTimeOffset Time { get; init; }
    public RolloutEvent? Event { get; init; }
    public RunState? State { get; init; }
    public RunStateDelta? Delta { get; init; }
}
