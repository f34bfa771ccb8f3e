using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Client;

/// <summary>
/// Thrown by the direct readers when a tree holds something they do not read exactly as the serializer would (a
/// number stored as a string or a double, a null for a value type or a required property, a missing required
/// property…). <see cref="TypedCopy"/> then converts the object through the serializer, which gives the reference
/// result — or the reference error.
/// </summary>
internal sealed class NotDirectlyReadableException() : Exception("the object needs the serializer's reading");

/// <summary>
/// Leaf readers for the direct conversion of stored trees: each accepts exactly the node kinds KubeJson's serializer
/// reads into the same value (strict numbers, strings only for strings, RFC 3339 text for times) and throws
/// <see cref="NotDirectlyReadableException"/> for anything else.
/// The serializer (source-generated, init-only properties) gives every property it does not find its type's default —
/// the models' initializers ("v1", [], "") do not apply — and takes an explicit null as null even where the model is
/// not nullable; the readers do the same, hence the null-forgiving assignments.
/// </summary>
internal static class TreeRead
{
    public static NotDirectlyReadableException Unreadable() => new();

    public static JsonObject Object(JsonNode? n) => n as JsonObject ?? throw Unreadable();

    /// <summary>A nested object or null; <paramref name="read"/> builds the model of a present one.</summary>
    public static T? Nullable<T>(JsonNode? n, Func<JsonObject, T> read) where T : class =>
        n is null ? null : read(Object(n));

    public static string? String(JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw Unreadable(),
    };

    /// <summary>A string the model marks required: the serializer only checks its presence, so an explicit null (rare)
    /// is left to it.</summary>
    public static string RequiredString(JsonNode? n) => String(n) ?? throw Unreadable();

    public static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Unreadable();

    public static bool? NullableBool(JsonNode? n) => n is null ? null : Bool(n);

    /// <summary>An int as the serializer reads it from the written tree: an integral number in range (parsed numbers,
    /// ints, longs); doubles, strings and other CLR backings go to the serializer.</summary>
    public static int Int(JsonNode? n)
    {
        if (n is not JsonValue v) throw Unreadable();
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue) return (int)l;
        throw Unreadable();
    }

    public static int? NullableInt(JsonNode? n) => n is null ? null : Int(n);

    public static long Long(JsonNode? n)
    {
        if (n is not JsonValue v) throw Unreadable();
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        throw Unreadable();
    }

    public static long? NullableLong(JsonNode? n) => n is null ? null : Long(n);

    [ThreadStatic] private static string? _lastTimeText;
    [ThreadStatic] private static DateTimeOffset _lastTime;

    /// <summary>RFC 3339 text parsed as KubeJson's Rfc3339Converter parses it. In virtual time most timestamps of a
    /// listing are the same few instants (a settled cluster's pods all start at the epoch), so the last text parsed on
    /// this thread is remembered: parsing was the readers' largest single cost.</summary>
    public static DateTimeOffset Time(JsonNode? n)
    {
        var text = RequiredString(n);
        if (text == _lastTimeText) return _lastTime;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) throw Unreadable();
        (_lastTimeText, _lastTime) = (text, t);
        return t;
    }

    public static DateTimeOffset? NullableTime(JsonNode? n) => n is null ? null : Time(n);

    /// <summary>A string→string map (the serializer makes a Dictionary; null values stay null).</summary>
    public static Dictionary<string, string>? StringMap(JsonNode? n)
    {
        if (n is null) return null;
        var o = Object(n);
        var map = new Dictionary<string, string>(o.Count);
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            map[key] = String(value)!;
        }
        return map;
    }

    /// <summary>A string list (the serializer makes a List; null items stay null).</summary>
    public static List<string>? StringList(JsonNode? n)
    {
        if (n is null) return null;
        var a = n as JsonArray ?? throw Unreadable();
        var list = new List<string>(a.Count);
        for (var i = 0; i < a.Count; i++) list.Add(String(a[i])!);
        return list;
    }

    /// <summary>
    /// <paramref name="read"/> of <paramref name="n"/>, or what it gave for this very node lately. A stored version is
    /// never edited, and a new version shares the subtrees it did not change with the old one (CopyOnWrite): pods of
    /// one ReplicaSet share labels, owner references and containers, a pod's next version its spec or status, pods
    /// started in the same second their conditions. The models are immutable records, so one reading serves every
    /// typed copy of the node — watch events and lists of a drain read each pod version several times. Direct-mapped
    /// by identity, per thread, bounded: a slot keeps its node alive only until another node takes it.
    /// </summary>
    public static T? Shared<T>(JsonNode? n, Func<JsonNode, T?> read) where T : class
    {
        if (n is null) return null;
        var table = _shared ??= new SharedReading[SharedSlots];
        ref var slot = ref table[RuntimeHelpers.GetHashCode(n) & (SharedSlots - 1)];
        if (ReferenceEquals(slot.Node, n) && slot.Value is T known) return known;
        var value = read(n);
        slot = new SharedReading(n, value);
        return value;
    }

    private const int SharedSlots = 1 << 14;
    private readonly record struct SharedReading(JsonNode? Node, object? Value);
    [ThreadStatic] private static SharedReading[]? _shared;

    /// <summary>A list of objects; a null item goes to the serializer.</summary>
    public static List<T>? List<T>(JsonNode? n, Func<JsonObject, T> read)
    {
        if (n is null) return null;
        var a = n as JsonArray ?? throw Unreadable();
        var list = new List<T>(a.Count);
        for (var i = 0; i < a.Count; i++) list.Add(read(Object(a[i])));
        return list;
    }
}
