using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>Small accessors over API objects kept as <see cref="JsonObject"/> (the store keeps every field a snapshot had).</summary>
internal static class Obj
{
    public static JsonObject? O(this JsonNode? n, string key) => (n as JsonObject)?.Prop(key) as JsonObject;
    public static JsonArray? A(this JsonNode? n, string key) => (n as JsonObject)?.Prop(key) as JsonArray;

    public static string? S(this JsonNode? n, string key) =>
        (n as JsonObject)?.Prop(key) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>
    /// The value of property <paramref name="key"/> (null when absent), as <c>o[key]</c> gives it, found first at the
    /// position where this key was found last. Objects of one kind keep their properties in one order (the store and
    /// the controllers build them so), so that is usually the place — one string compare instead of hashing the key
    /// and probing the table; the accessors here are most of what the controllers do, millions of times per rehearsal.
    /// Positions are remembered per key string in a small direct-mapped table; any slot value is safe, a wrong one
    /// only costs the usual lookup.
    /// </summary>
    public static JsonNode? Prop(this JsonObject o, string key)
    {
        ref var hint = ref Positions[RuntimeHelpers.GetHashCode(key) & (Positions.Length - 1)];
        var i = hint;
        if ((uint)i < (uint)o.Count)
        {
            var (k, v) = o.GetAt(i);
            if (ReferenceEquals(k, key) || k == key) return v;
        }
        i = o.IndexOf(key);
        if (i < 0) return null;
        hint = i;
        return o.GetAt(i).Value;
    }

    private static readonly int[] Positions = new int[128];

    public static long? L(this JsonNode? n, string key)
    {
        if ((n as JsonObject)?.Prop(key) is not JsonValue v) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<double>(out var d)) return (long)d;
        if (v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)) return p;
        return null;
    }

    public static bool? B(this JsonNode? n, string key) =>
        (n as JsonObject)?.Prop(key) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonObject Meta(this JsonObject o) => o.O("metadata") ?? (JsonObject)(o["metadata"] = new JsonObject());
    public static string Name(this JsonObject o) => o.O("metadata").S("name") ?? "";
    public static string? Ns(this JsonObject o) => o.O("metadata").S("namespace");
    public static string Uid(this JsonObject o) => o.O("metadata").S("uid") ?? "";
    public static JsonObject? Spec(this JsonObject? o) => o.O("spec");
    public static JsonObject? Status(this JsonObject? o) => o.O("status");

    public static JsonObject Ensure(this JsonObject o, string key)
    {
        if (o[key] is JsonObject existing) return existing;
        var created = new JsonObject();
        o[key] = created;
        return created;
    }

    public static Dictionary<string, string> StringMap(this JsonNode? n)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (n is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) result[k] = s;
        return result;
    }

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject o) => o.O("metadata").O("labels").StringMap();
    public static JsonObject? LabelsObject(this JsonObject o) => o.O("metadata").O("labels");
    public static string? Annotation(this JsonObject o, string key) => o.O("metadata").O("annotations").S(key);

    public static bool IsTerminating(this JsonObject o) => o.O("metadata").S("deletionTimestamp") is not null;

    /// <summary>The ownerReference with controller: true, if any. Indexes the array: a JsonArray's foreach boxes its
    /// enumerator, and controllers ask this of every pod they count.</summary>
    public static JsonObject? ControllerRef(this JsonObject o)
    {
        if (o.O("metadata").A("ownerReferences") is not { } refs) return null;
        for (var i = 0; i < refs.Count; i++)
            if (refs[i] is JsonObject ro && ro.B("controller") == true) return ro;
        return null;
    }

    /// <summary>Whether the string field <paramref name="key"/> equals <paramref name="expected"/>, a missing or
    /// non-string field counting as "" — without reading it into a new string: a value parsed from JSON is backed by a
    /// <see cref="JsonElement"/>, whose GetString allocates on every call.</summary>
    public static bool StringIs(this JsonNode? n, string key, string expected)
    {
        if ((n as JsonObject)?.Prop(key) is JsonValue v)
        {
            if (v.TryGetValue<JsonElement>(out var e)) return e.ValueKind == JsonValueKind.String ? e.ValueEquals(expected) : expected.Length == 0;
            if (v.TryGetValue<string>(out var s)) return s == expected;
        }
        return expected.Length == 0;
    }

    /// <summary>The RFC 3339 text Kubernetes writes (whole seconds). The last second's text is kept per thread and
    /// handed out again: the sandbox stamps objects by the thousand within one virtual second (creations, bindings,
    /// starts, transitions), and each stamp was formatted and allocated anew.</summary>
    public static string Time(DateTimeOffset t)
    {
        var second = t.UtcTicks / TimeSpan.TicksPerSecond;
        if (t_lastTime.Text is { } known && t_lastTime.Second == second) return known;
        var text = t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        t_lastTime = (second, text);
        return text;
    }

    [ThreadStatic] private static (long Second, string? Text) t_lastTime;

    public static DateTimeOffset? ParseTime(string? s) =>
        s is null ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new FormatException("expected a JSON object");

    public static JsonArray Array(IEnumerable<JsonNode?> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(i);
        return a;
    }
}
