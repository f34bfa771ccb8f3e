using System.Text.Json;
using System.Text.Json.Serialization;
using Drydock.Kube.Models;

namespace Drydock.Kube.Json;

/// <summary>The one source-generated JSON context for API objects: camelCase names, nulls skipped.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    Converters = [typeof(Rfc3339Converter)])]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(ReplicaSet))]
[JsonSerializable(typeof(ReplicationController))]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(DaemonSet))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Eviction))]
[JsonSerializable(typeof(DeleteOptions))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(ApiResourceList))]
[JsonSerializable(typeof(KubeList<Node>))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(KubeList<PodDisruptionBudget>))]
[JsonSerializable(typeof(KubeList<Deployment>))]
[JsonSerializable(typeof(KubeList<ReplicaSet>))]
[JsonSerializable(typeof(KubeList<ReplicationController>))]
[JsonSerializable(typeof(KubeList<StatefulSet>))]
[JsonSerializable(typeof(KubeList<DaemonSet>))]
[JsonSerializable(typeof(KubeList<Job>))]
[JsonSerializable(typeof(KubeList<ConfigMap>))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(KubeList<JsonElement>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class KubeJsonContext : JsonSerializerContext;

/// <summary>Typed helpers over <see cref="KubeJsonContext"/>.</summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options => KubeJsonContext.Default.Options;

    public static T Deserialize<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, TypeInfo(typeof(T))) ?? throw new JsonException($"null {typeof(T).Name}"));

    public static T Deserialize<T>(JsonElement element) =>
        (T)(element.Deserialize(TypeInfo(typeof(T))) ?? throw new JsonException($"null {typeof(T).Name}"));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo(typeof(T)));

    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo TypeInfo(Type t) =>
        KubeJsonContext.Default.GetTypeInfo(t) ?? throw new InvalidOperationException($"{t.Name} is not registered in KubeJsonContext");
}

/// <summary>RFC 3339 timestamps as the API writes them: "2026-09-01T08:00:00Z" (UTC, seconds) — MicroTime keeps fractions.</summary>
public sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var utc = value.ToUniversalTime();
        writer.WriteStringValue(utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
