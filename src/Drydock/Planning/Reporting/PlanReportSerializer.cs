using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Drydock.Versions;
using YamlDotNet.Serialization;

namespace Drydock.Planning.Reporting;

/// <summary>
/// `-o json|yaml` for plans and skew reports: camelCase, enums as strings, versions as "v1.28.3", nulls omitted.
/// YAML is the same document (JSON → YAML), so both formats always agree.
/// </summary>
public static class PlanReportSerializer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new KubeVersionJsonConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string ToYaml<T>(T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        return new SerializerBuilder().Build().Serialize(ToPlain(node));
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(),
    };
}

/// <summary>KubeVersion as its canonical string.</summary>
public sealed class KubeVersionJsonConverter : JsonConverter<KubeVersion>
{
    public override KubeVersion? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        KubeVersion.TryParse(reader.GetString(), out var e) ?? throw new JsonException(e);

    public override void Write(Utf8JsonWriter writer, KubeVersion value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
