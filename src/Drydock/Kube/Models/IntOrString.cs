using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Drydock.Kube.Models;

/// <summary>intstr.IntOrString: an integer or a string such as "25%".</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public sealed record IntOrString
{
    public int? IntValue { get; }
    public string? StringValue { get; }

    private IntOrString(int? i, string? s) { IntValue = i; StringValue = s; }

    public static IntOrString FromInt(int value) => new(value, null);
    public static IntOrString FromString(string value) => new(null, value);
    public static implicit operator IntOrString(int value) => FromInt(value);

    public bool IsPercent => StringValue is not null && StringValue.EndsWith('%');

    /// <summary>
    /// Resolves against a total the way the disruption controller does (intstr.GetScaledValueFromIntOrPercent):
    /// percentages round up when <paramref name="roundUp"/>, down otherwise; a plain numeric string counts as an int.
    /// </summary>
    public int Resolve(int total, bool roundUp)
    {
        if (IntValue is int i) return i;
        var s = StringValue ?? "0";
        if (s.EndsWith('%'))
        {
            var pct = int.Parse(s.AsSpan(0, s.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture);
            var scaled = (double)pct * total / 100.0;
            return roundUp ? (int)Math.Ceiling(scaled) : (int)Math.Floor(scaled);
        }
        return int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}

public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => IntOrString.FromInt(reader.GetInt32()),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"expected an integer or a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is int i) writer.WriteNumberValue(i);
        else writer.WriteStringValue(value.StringValue);
    }
}
