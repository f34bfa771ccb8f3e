using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Sandbox.Tests.Client;

/// <summary>
/// A tree that sets every property of a model type, walking KubeJson's own contract (names as the serializer reads
/// them): strings, numbers, booleans, times, IntOrString, maps and two-item lists, recursively. Values differ by
/// property so a reader that swaps two fields is caught.
/// </summary>
internal static class ModelSample
{
    public static JsonObject Of(Type model)
    {
        var counter = 0;
        return (JsonObject)Value(model, ref counter)!;
    }

    private static JsonNode? Value(Type t, ref int counter)
    {
        counter++;
        var type = Nullable.GetUnderlyingType(t) ?? t;
        if (type == typeof(string)) return $"s{counter}";
        if (type == typeof(int)) return counter;
        if (type == typeof(long)) return 1_000_000_000_000L + counter;
        if (type == typeof(bool)) return counter % 2 == 0;
        if (type == typeof(DateTimeOffset)) return $"2026-03-01T12:{counter % 60:00}:00Z";
        if (type == typeof(IntOrString)) return counter % 2 == 0 ? counter : $"{counter}%";
        var info = KubeJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Dictionary:
                var map = new JsonObject();
                for (var i = 0; i < 2; i++) map[$"k{counter}-{i}"] = Value(info.ElementType!, ref counter);
                return map;
            case JsonTypeInfoKind.Enumerable:
                var list = new JsonArray();
                for (var i = 0; i < 2; i++) list.Add(Value(info.ElementType!, ref counter));
                return list;
            case JsonTypeInfoKind.Object:
                var o = new JsonObject();
                foreach (var p in info.Properties) o[p.Name] = Value(p.PropertyType, ref counter);
                return o;
            default:
                throw new NotSupportedException($"no sample for {type.Name}");
        }
    }
}
