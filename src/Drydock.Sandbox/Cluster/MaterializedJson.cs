using System.Text.Json;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Cluster;

/// <summary>Deep copies whose string and boolean leaves are plain values rather than views of the parsed document.
/// A leaf parsed from the loaded List decodes its UTF-8 on every read (a new string each time); a pod template's
/// labels, images and resource requests are read on every change of every pod made from it, so pods are built from
/// copies whose leaves hold their string once. Numbers keep their parsed form, which writes back exactly as read
/// ("1.0" stays "1.0"); strings and booleans write the same either way.</summary>
internal static class MaterializedJson
{
    public static JsonNode? Copy(JsonNode? node) => node switch
    {
        JsonObject obj => CopyObject(obj),
        JsonArray array => CopyArray(array),
        JsonValue value => CopyValue(value),
        _ => null,
    };

    public static JsonObject CopyObject(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj) copy[key] = Copy(value);
        return copy;
    }

    private static JsonArray CopyArray(JsonArray array)
    {
        var copy = new JsonArray();
        foreach (var item in array) copy.Add(Copy(item));
        return copy;
    }

    private static JsonValue CopyValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        _ => (JsonValue)value.DeepClone(),
    };
}
