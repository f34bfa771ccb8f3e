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
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;

public static class OrchestrationJson
{
    public static string Serialize(RunState state) => JsonSerializer.Serialize(state, OrchestrationJsonContext.Default.RunState);

    public static RunState? DeserializeState(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.RunState);

    public static string Serialize(RolloutEvent e) => JsonSerializer.Serialize(e, OrchestrationJsonContext.Default.RolloutEvent);

    internal static string Serialize(JournalLine line) => JsonSerializer.Serialize(line, OrchestrationJsonContext.Default.JournalLine);

    internal static JournalLine? DeserializeLine(string json) => JsonSerializer.Deserialize(json, OrchestrationJsonContext.Default.JournalLine);
}

/// <summary>One line of the local journal: an event, or the full state after a change (so the file alone can restore it).</summary>
internal sealed record JournalLine
{
    public required DateTimeOffset Time { get; init; }
    public RolloutEvent? Event { get; init; }
    public RunState? State { get; init; }
}
