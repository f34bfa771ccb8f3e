using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct reader of policy/v1 PodDisruptionBudget (see <see cref="TypedCopy"/>).</summary>
internal static class PdbReader
{
    public static PodDisruptionBudget Pdb(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, Spec, Status);
        return new PodDisruptionBudget { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    /// <summary>intstr.IntOrString as its converter reads it: an int32 number or a string.</summary>
    public static IntOrString? IntOrString(JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => Kube.Models.IntOrString.FromString(s),
        _ => Kube.Models.IntOrString.FromInt(Int(n)),
    };

    private static PodDisruptionBudgetSpec Spec(JsonObject o)
    {
        IntOrString? minAvailable = null, maxUnavailable = null;
        LabelSelector? selector = null;
        string? unhealthyPodEvictionPolicy = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "minAvailable": minAvailable = IntOrString(value); break;
                case "maxUnavailable": maxUnavailable = IntOrString(value); break;
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "unhealthyPodEvictionPolicy": unhealthyPodEvictionPolicy = String(value); break;
            }
        }
        return new PodDisruptionBudgetSpec { MinAvailable = minAvailable, MaxUnavailable = maxUnavailable, Selector = selector, UnhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy };
    }

    private static PodDisruptionBudgetStatus Status(JsonObject o)
    {
        long? observedGeneration = null;
        Dictionary<string, DateTimeOffset>? disruptedPods = null;
        int disruptionsAllowed = 0, currentHealthy = 0, desiredHealthy = 0, expectedPods = 0;
        List<Condition>? conditions = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "observedGeneration": observedGeneration = NullableLong(value); break;
                case "disruptedPods": disruptedPods = TimeMap(value); break;
                case "disruptionsAllowed": disruptionsAllowed = Int(value); break;
                case "currentHealthy": currentHealthy = Int(value); break;
                case "desiredHealthy": desiredHealthy = Int(value); break;
                case "expectedPods": expectedPods = Int(value); break;
                case "conditions": conditions = List(value, Condition); break;
            }
        }
        return new PodDisruptionBudgetStatus
        {
            ObservedGeneration = observedGeneration, DisruptedPods = disruptedPods, DisruptionsAllowed = disruptionsAllowed,
            CurrentHealthy = currentHealthy, DesiredHealthy = desiredHealthy, ExpectedPods = expectedPods, Conditions = conditions,
        };
    }

    private static Dictionary<string, DateTimeOffset>? TimeMap(JsonNode? n)
    {
        if (n is null) return null;
        var o = Object(n);
        var map = new Dictionary<string, DateTimeOffset>(o.Count);
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            map[key] = Time(value);
        }
        return map;
    }

    private static Condition Condition(JsonObject o)
    {
        string? type = null, status = null, reason = null, message = null;
        long? observedGeneration = null;
        DateTimeOffset? lastTransitionTime = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "type": type = RequiredString(value); break;
                case "status": status = RequiredString(value); break;
                case "observedGeneration": observedGeneration = NullableLong(value); break;
                case "lastTransitionTime": lastTransitionTime = NullableTime(value); break;
                case "reason": reason = String(value); break;
                case "message": message = String(value); break;
            }
        }
        if (type is null || status is null) throw Unreadable();
        return new Condition { Type = type, Status = status, ObservedGeneration = observedGeneration, LastTransitionTime = lastTransitionTime, Reason = reason, Message = message };
    }
}
