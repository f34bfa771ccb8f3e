using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct reader of core/v1 Pod (see <see cref="TypedCopy"/>): one walk over the stored tree, allocating only
/// the model.</summary>
internal static class PodReader
{
    public static Pod Pod(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, SharedSpec, SharedStatus);
        return new Pod { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    // A pod's spec from its binding on, its status from its start on, are shared by its next versions.
    private static PodSpec SharedSpec(JsonObject o) => Shared(o, static n => PodSpec((JsonObject)n))!;
    private static PodStatus SharedStatus(JsonObject o) => Shared(o, static n => PodStatus((JsonObject)n))!;

    public static PodSpec PodSpec(JsonObject o)
    {
        string? nodeName = null, priorityClassName = null, restartPolicy = null, schedulerName = null;
        string? serviceAccountName = null, hostname = null, subdomain = null;
        List<Container>? containers = null, initContainers = null;
        List<Volume>? volumes = null;
        Dictionary<string, string>? nodeSelector = null;
        List<Toleration>? tolerations = null;
        Affinity? affinity = null;
        long? terminationGracePeriodSeconds = null;
        int? priority = null;
        bool? hostNetwork = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "nodeName": nodeName = String(value); break;
                case "containers": containers = Shared(value, static n => List(n, Container)); break;
                case "initContainers": initContainers = List(value, Container); break;
                case "volumes": volumes = List(value, Volume); break;
                case "nodeSelector": nodeSelector = StringMap(value); break;
                case "tolerations": tolerations = List(value, Toleration); break;
                case "affinity": affinity = Nullable(value, Affinity); break;
                case "terminationGracePeriodSeconds": terminationGracePeriodSeconds = NullableLong(value); break;
                case "priorityClassName": priorityClassName = String(value); break;
                case "priority": priority = NullableInt(value); break;
                case "restartPolicy": restartPolicy = String(value); break;
                case "schedulerName": schedulerName = String(value); break;
                case "serviceAccountName": serviceAccountName = String(value); break;
                case "hostNetwork": hostNetwork = NullableBool(value); break;
                case "hostname": hostname = String(value); break;
                case "subdomain": subdomain = String(value); break;
            }
        }
        return new PodSpec
        {
            NodeName = nodeName, Containers = containers!, InitContainers = initContainers, Volumes = volumes,
            NodeSelector = nodeSelector, Tolerations = tolerations, Affinity = affinity,
            TerminationGracePeriodSeconds = terminationGracePeriodSeconds, PriorityClassName = priorityClassName,
            Priority = priority, RestartPolicy = restartPolicy, SchedulerName = schedulerName,
            ServiceAccountName = serviceAccountName, HostNetwork = hostNetwork, Hostname = hostname, Subdomain = subdomain,
        };
    }

    private static Container Container(JsonObject o)
    {
        string? name = null, image = null;
        List<string>? command = null, args = null;
        ResourceRequirements? resources = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "name": name = RequiredString(value); break;
                case "image": image = String(value); break;
                case "command": command = StringList(value); break;
                case "args": args = StringList(value); break;
                case "resources": resources = Nullable(value, ResourceRequirements); break;
            }
        }
        if (name is null) throw Unreadable();
        return new Container { Name = name, Image = image, Command = command, Args = args, Resources = resources };
    }

    private static ResourceRequirements ResourceRequirements(JsonObject o)
    {
        Dictionary<string, string>? requests = null, limits = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "requests": requests = StringMap(value); break;
                case "limits": limits = StringMap(value); break;
            }
        }
        return new ResourceRequirements { Requests = requests, Limits = limits };
    }

    private static Volume Volume(JsonObject o)
    {
        string? name = null;
        EmptyDirVolumeSource? emptyDir = null;
        HostPathVolumeSource? hostPath = null;
        ConfigMapVolumeSource? configMap = null;
        PersistentVolumeClaimVolumeSource? claim = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "name": name = RequiredString(value); break;
                case "emptyDir": emptyDir = Nullable(value, EmptyDir); break;
                case "hostPath": hostPath = Nullable(value, HostPath); break;
                case "configMap": configMap = Nullable(value, ConfigMap); break;
                case "persistentVolumeClaim": claim = Nullable(value, PersistentVolumeClaim); break;
            }
        }
        if (name is null) throw Unreadable();
        return new Volume { Name = name, EmptyDir = emptyDir, HostPath = hostPath, ConfigMap = configMap, PersistentVolumeClaim = claim };
    }

    private static EmptyDirVolumeSource EmptyDir(JsonObject o)
    {
        string? medium = null, sizeLimit = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "medium": medium = String(value); break;
                case "sizeLimit": sizeLimit = String(value); break;
            }
        }
        return new EmptyDirVolumeSource { Medium = medium, SizeLimit = sizeLimit };
    }

    private static HostPathVolumeSource HostPath(JsonObject o)
    {
        string? path = null, type = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "path": path = RequiredString(value); break;
                case "type": type = String(value); break;
            }
        }
        if (path is null) throw Unreadable();
        return new HostPathVolumeSource { Path = path, Type = type };
    }

    private static ConfigMapVolumeSource ConfigMap(JsonObject o)
    {
        string? name = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "name") name = String(value);
        }
        return new ConfigMapVolumeSource { Name = name };
    }

    private static PersistentVolumeClaimVolumeSource PersistentVolumeClaim(JsonObject o)
    {
        string? claimName = null;
        bool? readOnly = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "claimName": claimName = RequiredString(value); break;
                case "readOnly": readOnly = NullableBool(value); break;
            }
        }
        if (claimName is null) throw Unreadable();
        return new PersistentVolumeClaimVolumeSource { ClaimName = claimName, ReadOnly = readOnly };
    }

    private static Toleration Toleration(JsonObject o)
    {
        string? key = null, op = null, val = null, effect = null;
        long? seconds = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (name, value) = o.GetAt(i);
            switch (name)
            {
                case "key": key = String(value); break;
                case "operator": op = String(value); break;
                case "value": val = String(value); break;
                case "effect": effect = String(value); break;
                case "tolerationSeconds": seconds = NullableLong(value); break;
            }
        }
        return new Toleration { Key = key, Operator = op, Value = val, Effect = effect, TolerationSeconds = seconds };
    }

    private static Affinity Affinity(JsonObject o)
    {
        NodeAffinity? nodeAffinity = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "nodeAffinity") nodeAffinity = Nullable(value, NodeAffinity);
        }
        return new Affinity { NodeAffinity = nodeAffinity };
    }

    private static NodeAffinity NodeAffinity(JsonObject o)
    {
        NodeSelector? required = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "requiredDuringSchedulingIgnoredDuringExecution") required = Nullable(value, NodeSelector);
        }
        return new NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = required };
    }

    private static NodeSelector NodeSelector(JsonObject o)
    {
        List<NodeSelectorTerm>? terms = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "nodeSelectorTerms") terms = List(value, NodeSelectorTerm);
        }
        return new NodeSelector { NodeSelectorTerms = terms! };
    }

    private static NodeSelectorTerm NodeSelectorTerm(JsonObject o)
    {
        List<NodeSelectorRequirement>? matchExpressions = null, matchFields = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "matchExpressions": matchExpressions = List(value, NodeSelectorRequirement); break;
                case "matchFields": matchFields = List(value, NodeSelectorRequirement); break;
            }
        }
        return new NodeSelectorTerm { MatchExpressions = matchExpressions, MatchFields = matchFields };
    }

    private static NodeSelectorRequirement NodeSelectorRequirement(JsonObject o)
    {
        var (key, op, values) = MetaReader.Requirement(o);
        return new NodeSelectorRequirement { Key = key, Operator = op, Values = values };
    }

    private static PodStatus PodStatus(JsonObject o)
    {
        string? phase = null, hostIp = null, podIp = null, qosClass = null, reason = null, message = null;
        List<PodCondition>? conditions = null;
        DateTimeOffset? startTime = null;
        List<ContainerStatus>? containerStatuses = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "phase": phase = String(value); break;
                case "conditions": conditions = Shared(value, static n => List(n, PodCondition)); break;
                case "hostIP": hostIp = String(value); break;
                case "podIP": podIp = String(value); break;
                case "startTime": startTime = NullableTime(value); break;
                case "containerStatuses": containerStatuses = List(value, ContainerStatus); break;
                case "qosClass": qosClass = String(value); break;
                case "reason": reason = String(value); break;
                case "message": message = String(value); break;
            }
        }
        return new PodStatus
        {
            Phase = phase, Conditions = conditions, HostIP = hostIp, PodIP = podIp, StartTime = startTime,
            ContainerStatuses = containerStatuses, QosClass = qosClass, Reason = reason, Message = message,
        };
    }

    private static PodCondition PodCondition(JsonObject o)
    {
        string? type = null, status = null, reason = null, message = null;
        DateTimeOffset? lastProbeTime = null, lastTransitionTime = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "type": type = RequiredString(value); break;
                case "status": status = RequiredString(value); break;
                case "lastProbeTime": lastProbeTime = NullableTime(value); break;
                case "lastTransitionTime": lastTransitionTime = NullableTime(value); break;
                case "reason": reason = String(value); break;
                case "message": message = String(value); break;
            }
        }
        if (type is null || status is null) throw Unreadable();
        return new PodCondition { Type = type, Status = status, LastProbeTime = lastProbeTime, LastTransitionTime = lastTransitionTime, Reason = reason, Message = message };
    }

    private static ContainerStatus ContainerStatus(JsonObject o)
    {
        string? name = null, containerId = null, image = null, imageId = null;
        bool ready = false;
        int restartCount = 0;
        bool? started = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "name": name = RequiredString(value); break;
                case "ready": ready = Bool(value); break;
                case "restartCount": restartCount = Int(value); break;
                case "image": image = String(value); break;
                case "imageID": imageId = String(value); break;
                case "containerID": containerId = String(value); break;
                case "started": started = NullableBool(value); break;
            }
        }
        if (name is null) throw Unreadable();
        return new ContainerStatus { Name = name, Ready = ready, RestartCount = restartCount, Image = image!, ImageID = imageId!, ContainerID = containerId, Started = started };
    }
}
