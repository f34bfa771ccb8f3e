using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Kube.Json;

namespace Drydock.Sandbox.Client;

/// <summary>
/// Converts a stored object to its typed model. <see cref="JsonNode"/>'s own Deserialize writes the tree with the
/// default encoder, which escapes every '+' of base64 (a run state's binaryData is ~200 KiB of it at 5,000 nodes) and
/// the reader then unescapes it again; the typed result does not depend on the escaping, so the tree is written with
/// minimal escaping into a reused buffer and read from there.
/// </summary>
internal static class TypedCopy
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    public static T Of<T>(JsonObject o) where T : class
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        var writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        try
        {
            o.WriteTo(writer, KubeJson.Options);
            writer.Flush();
            return (T)(JsonSerializer.Deserialize(buffer.WrittenSpan, KubeJson.TypeInfo(typeof(T))) ?? throw new JsonException($"null {typeof(T).Name}"));
        }
        finally
        {
            writer.Reset();
            buffer.ResetWrittenCount();
            // A one-off huge object must not pin its buffer for the thread's lifetime.
            if (buffer.Capacity > 4 * 1024 * 1024) { _buffer = null; _writer = null; }
        }
    }
}
