using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Sandbox.Client;

/// <summary>
/// Converts a stored object to its typed model. The hot kinds (pods, nodes, PDBs, workloads and what a run writes: a
/// snapshot of a 5,000-node cluster reads 150,000 pods) are read straight off the tree by <see cref="PodReader"/> and
/// friends, which walk it once and allocate only the model; anything those readers do not read exactly as the
/// serializer would goes through the serializer, so the result is always the serializer's.
/// </summary>
internal static class TypedCopy
{
    public static T Of<T>(JsonObject o) where T : class
    {
        try
        {
            if (TryDirect<T>(o, out var direct)) return direct;
        }
        catch (NotDirectlyReadableException)
        {
            // An unusual tree: the serializer below gives the reference reading (or error).
        }
        return Serialized<T>(o);
    }

    /// <summary>The direct reading, for the kinds that have one; throws <see cref="NotDirectlyReadableException"/>
    /// when the tree needs the serializer.</summary>
    internal static bool TryDirect<T>(JsonObject o, [NotNullWhen(true)] out T? value) where T : class
    {
        object? read =
            typeof(T) == typeof(Pod) ? PodReader.Pod(o) :
            typeof(T) == typeof(Node) ? NodeReader.Node(o) :
            typeof(T) == typeof(PodDisruptionBudget) ? PdbReader.Pdb(o) :
            typeof(T) == typeof(ReplicaSet) ? WorkloadReader.ReplicaSet(o) :
            typeof(T) == typeof(Deployment) ? WorkloadReader.Deployment(o) :
            typeof(T) == typeof(StatefulSet) ? WorkloadReader.StatefulSet(o) :
            typeof(T) == typeof(DaemonSet) ? WorkloadReader.DaemonSet(o) :
            typeof(T) == typeof(Job) ? WorkloadReader.Job(o) :
            typeof(T) == typeof(ReplicationController) ? WorkloadReader.ReplicationController(o) :
            typeof(T) == typeof(ConfigMap) ? MiscReader.ConfigMap(o) :
            typeof(T) == typeof(Lease) ? MiscReader.Lease(o) :
            typeof(T) == typeof(Event) ? MiscReader.Event(o) :
            typeof(T) == typeof(Namespace) ? MiscReader.Namespace(o) :
            null;
        value = (T?)read;
        return value is not null;
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    /// <summary>
    /// The serializer's reading. <see cref="JsonNode"/>'s own Deserialize writes the tree with the default encoder,
    /// which escapes every '+' of base64 (a run state's binaryData is ~200 KiB of it at 5,000 nodes) and the reader then
    /// unescapes it again; the typed result does not depend on the escaping, so the tree is written with minimal
    /// escaping into a reused buffer and read from there.
    /// </summary>
    internal static T Serialized<T>(JsonObject o) where T : class
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
