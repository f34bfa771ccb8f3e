using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct readers of the kinds a run writes over and over (see <see cref="TypedCopy"/>): the run state's
/// ConfigMap (hundreds of KiB of base64 that the serializer would write out as UTF-8 and read back on every save), the
/// lock Lease, Events and Namespaces.</summary>
internal static class MiscReader
{
    public static ConfigMap ConfigMap(JsonObject o)
    {
        string? apiVersion = null, kind = null;
        ObjectMeta? metadata = null;
        Dictionary<string, string>? data = null, binaryData = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "apiVersion": apiVersion = String(value); break;
                case "kind": kind = String(value); break;
                case "metadata": metadata = Nullable(value, MetaReader.ObjectMeta); break;
                case "data": data = StringMap(value); break;
                case "binaryData": binaryData = StringMap(value); break;
            }
        }
        return new ConfigMap { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Data = data, BinaryData = binaryData };
    }

    public static Namespace Namespace(JsonObject o)
    {
        var (apiVersion, kind, metadata, _, status) = MetaReader.KubeObject(o, NotModelled, NamespaceStatus);
        return new Namespace { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Status = status };
    }

    private static NamespaceStatus NamespaceStatus(JsonObject o)
    {
        string? phase = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "phase") phase = String(value);
        }
        return new NamespaceStatus { Phase = phase };
    }

    public static Lease Lease(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, _) = MetaReader.KubeObject(o, LeaseSpec, NotModelled);
        return new Lease { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec };
    }

    /// <summary>A part the model has no property for (a Namespace's spec, a Lease's status): read past, as the
    /// serializer skips it.</summary>
    private static object NotModelled(JsonObject part) => part;

    private static LeaseSpec LeaseSpec(JsonObject o)
    {
        string? holderIdentity = null;
        int? durationSeconds = null, transitions = null;
        DateTimeOffset? acquireTime = null, renewTime = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "holderIdentity": holderIdentity = String(value); break;
                case "leaseDurationSeconds": durationSeconds = NullableInt(value); break;
                case "acquireTime": acquireTime = NullableTime(value); break;
                case "renewTime": renewTime = NullableTime(value); break;
                case "leaseTransitions": transitions = NullableInt(value); break;
            }
        }
        return new LeaseSpec { HolderIdentity = holderIdentity, LeaseDurationSeconds = durationSeconds, AcquireTime = acquireTime, RenewTime = renewTime, LeaseTransitions = transitions };
    }

    public static Event Event(JsonObject o)
    {
        string? apiVersion = null, kind = null, reason = null, message = null, type = null, reportingComponent = null, reportingInstance = null;
        ObjectMeta? metadata = null;
        ObjectReference? involvedObject = null;
        EventSource? source = null;
        DateTimeOffset? firstTimestamp = null, lastTimestamp = null;
        int? count = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "apiVersion": apiVersion = String(value); break;
                case "kind": kind = String(value); break;
                case "metadata": metadata = Nullable(value, MetaReader.ObjectMeta); break;
                case "involvedObject": involvedObject = Nullable(value, ObjectReference); break;
                case "reason": reason = String(value); break;
                case "message": message = String(value); break;
                case "type": type = String(value); break;
                case "source": source = Nullable(value, EventSource); break;
                case "firstTimestamp": firstTimestamp = NullableTime(value); break;
                case "lastTimestamp": lastTimestamp = NullableTime(value); break;
                case "count": count = NullableInt(value); break;
                case "reportingComponent": reportingComponent = String(value); break;
                case "reportingInstance": reportingInstance = String(value); break;
            }
        }
        return new Event
        {
            ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, InvolvedObject = involvedObject!, Reason = reason,
            Message = message, Type = type, Source = source, FirstTimestamp = firstTimestamp, LastTimestamp = lastTimestamp,
            Count = count, ReportingComponent = reportingComponent, ReportingInstance = reportingInstance,
        };
    }

    private static ObjectReference ObjectReference(JsonObject o)
    {
        string? apiVersion = null, kind = null, name = null, ns = null, uid = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "apiVersion": apiVersion = String(value); break;
                case "kind": kind = String(value); break;
                case "name": name = String(value); break;
                case "namespace": ns = String(value); break;
                case "uid": uid = String(value); break;
            }
        }
        return new ObjectReference { ApiVersion = apiVersion, Kind = kind, Name = name, Namespace = ns, Uid = uid };
    }

    private static EventSource EventSource(JsonObject o)
    {
        string? component = null, host = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "component": component = String(value); break;
                case "host": host = String(value); break;
            }
        }
        return new EventSource { Component = component, Host = host };
    }
}
