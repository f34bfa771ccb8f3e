using System.Text.Json;
using YamlDotNet.Serialization;

namespace Drydock.Kube.Json;

/// <summary>Renders API JSON for `-o json` (indented) and `-o yaml` (kubectl-like block YAML, keys in order).</summary>
public static class KubeOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static string IndentJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented)) doc.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string JsonToYaml(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();
        return serializer.Serialize(ToPlain(doc.RootElement));
    }

    private static object? ToPlain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
