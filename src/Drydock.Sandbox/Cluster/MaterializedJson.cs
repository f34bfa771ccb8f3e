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

    /// <summary>The same copy built straight from a parsed document (a loaded List): no tree of views in between,
    /// whose every object would build its table once to be enumerated and then be dropped (150,000 pods' worth of
    /// workloads on a large load). Each object and array is built at its final size.</summary>
    public static JsonNode? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in e.EnumerateObject()) count++;
                var properties = new KeyValuePair<string, JsonNode?>[count];
                var i = 0;
                foreach (var p in e.EnumerateObject()) properties[i++] = new(p.Name, FromElement(p.Value));
                try { return new JsonObject(properties); }
                catch (ArgumentException) { throw new FormatException($"an object has the property \"{DuplicateName(properties)}\" twice"); }
            case JsonValueKind.Array:
                var items = new JsonNode?[e.GetArrayLength()];
                var j = 0;
                foreach (var item in e.EnumerateArray()) items[j++] = FromElement(item);
                return new JsonArray(items);
            case JsonValueKind.String: return JsonValue.Create(e.GetString()!);
            case JsonValueKind.True: return JsonValue.Create(true);
            case JsonValueKind.False: return JsonValue.Create(false);
            case JsonValueKind.Null: return null;
            default: return JsonValue.Create(e.Clone()); // a number keeps its parsed form, as CopyValue keeps it
        }
    }

    /// <summary>Whether every string and boolean leaf under <paramref name="node"/> is a plain value, as
    /// <see cref="Copy"/> and <see cref="FromElement"/> make them (a tree parsed by <c>JsonNode.Parse</c> holds views of
    /// its document instead): such a tree can be read as it is, without a copy.</summary>
    public static bool IsPlain(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj) if (!IsPlain(value)) return false;
                return true;
            case JsonArray array:
                foreach (var item in array) if (!IsPlain(item)) return false;
                return true;
            case JsonValue value:
                return !value.TryGetValue<JsonElement>(out var e) || e.ValueKind is not (JsonValueKind.String or JsonValueKind.True or JsonValueKind.False);
            default:
                return true;
        }
    }

    private static string DuplicateName(KeyValuePair<string, JsonNode?>[] properties) =>
        properties.GroupBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key ?? "?";

    private static JsonValue CopyValue(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        _ => (JsonValue)value.DeepClone(),
    };
}
