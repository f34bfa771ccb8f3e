using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct readers for the metav1 types every object carries (see <see cref="TypedCopy"/>). Property names
/// are KubeJson's camelCase names, matched case-sensitively; unknown properties are skipped as the serializer does.</summary>
internal static class MetaReader
{
    /// <summary>The apiVersion/kind/metadata every object has, then the kind's own spec and status.</summary>
    public static (string? ApiVersion, string? Kind, ObjectMeta? Metadata, TSpec? Spec, TStatus? Status) KubeObject<TSpec, TStatus>(
        JsonObject o, Func<JsonObject, TSpec> spec, Func<JsonObject, TStatus> status) where TSpec : class where TStatus : class
    {
        string? apiVersion = null, kind = null;
        ObjectMeta? metadata = null;
        TSpec? specValue = null;
        TStatus? statusValue = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "apiVersion": apiVersion = String(value); break;
                case "kind": kind = String(value); break;
                case "metadata": metadata = Nullable(value, ObjectMeta); break;
                case "spec": specValue = Nullable(value, spec); break;
                case "status": statusValue = Nullable(value, status); break;
            }
        }
        return (apiVersion, kind, metadata, specValue, statusValue);
    }

    public static ObjectMeta ObjectMeta(JsonObject o)
    {
        string? name = null, generateName = null, ns = null, uid = null, resourceVersion = null;
        long? generation = null, deletionGracePeriodSeconds = null;
        DateTimeOffset? creationTimestamp = null, deletionTimestamp = null;
        Dictionary<string, string>? labels = null, annotations = null;
        List<OwnerReference>? ownerReferences = null;
        List<string>? finalizers = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "name": name = String(value); break;
                case "generateName": generateName = String(value); break;
                case "namespace": ns = String(value); break;
                case "uid": uid = String(value); break;
                case "resourceVersion": resourceVersion = String(value); break;
                case "generation": generation = NullableLong(value); break;
                case "creationTimestamp": creationTimestamp = NullableTime(value); break;
                case "deletionTimestamp": deletionTimestamp = NullableTime(value); break;
                case "deletionGracePeriodSeconds": deletionGracePeriodSeconds = NullableLong(value); break;
                case "labels": labels = Shared(value, StringMap); break;
                case "annotations": annotations = Shared(value, StringMap); break;
                case "ownerReferences": ownerReferences = Shared(value, static n => List(n, OwnerReference)); break;
                case "finalizers": finalizers = StringList(value); break;
            }
        }
        return new ObjectMeta
        {
            Name = name, GenerateName = generateName, Namespace = ns, Uid = uid, ResourceVersion = resourceVersion,
            Generation = generation, CreationTimestamp = creationTimestamp, DeletionTimestamp = deletionTimestamp,
            DeletionGracePeriodSeconds = deletionGracePeriodSeconds, Labels = labels, Annotations = annotations,
            OwnerReferences = ownerReferences, Finalizers = finalizers,
        };
    }

    public static OwnerReference OwnerReference(JsonObject o)
    {
        string? apiVersion = null, kind = null, name = null, uid = null;
        bool? controller = null, blockOwnerDeletion = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "apiVersion": apiVersion = RequiredString(value); break;
                case "kind": kind = RequiredString(value); break;
                case "name": name = RequiredString(value); break;
                case "uid": uid = RequiredString(value); break;
                case "controller": controller = NullableBool(value); break;
                case "blockOwnerDeletion": blockOwnerDeletion = NullableBool(value); break;
            }
        }
        // Required properties: a missing one is the serializer's error to report.
        if (apiVersion is null || kind is null || name is null || uid is null) throw Unreadable();
        return new OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = controller, BlockOwnerDeletion = blockOwnerDeletion };
    }

    public static LabelSelector LabelSelector(JsonObject o)
    {
        Dictionary<string, string>? matchLabels = null;
        List<LabelSelectorRequirement>? matchExpressions = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "matchLabels": matchLabels = StringMap(value); break;
                case "matchExpressions": matchExpressions = List(value, LabelSelectorRequirement); break;
            }
        }
        return new LabelSelector { MatchLabels = matchLabels, MatchExpressions = matchExpressions };
    }

    private static LabelSelectorRequirement LabelSelectorRequirement(JsonObject o)
    {
        var (key, op, values) = Requirement(o);
        return new LabelSelectorRequirement { Key = key, Operator = op, Values = values };
    }

    /// <summary>The key, operator and values of a selector requirement: label and node selector requirements are two
    /// models of one shape, both with key and operator required.</summary>
    public static (string Key, string Operator, List<string>? Values) Requirement(JsonObject o)
    {
        string? key = null, op = null;
        List<string>? values = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (name, value) = o.GetAt(i);
            switch (name)
            {
                case "key": key = RequiredString(value); break;
                case "operator": op = RequiredString(value); break;
                case "values": values = StringList(value); break;
            }
        }
        if (key is null || op is null) throw Unreadable();
        return (key, op, values);
    }
}
