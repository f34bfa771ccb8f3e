using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct reader of core/v1 Node (see <see cref="TypedCopy"/>).</summary>
internal static class NodeReader
{
    public static Node Node(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, NodeSpec, NodeStatus);
        return new Node { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    private static NodeSpec NodeSpec(JsonObject o)
    {
        string? podCidr = null, providerId = null;
        List<string>? podCidrs = null;
        bool? unschedulable = null;
        List<Taint>? taints = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "podCIDR": podCidr = String(value); break;
                case "podCIDRs": podCidrs = StringList(value); break;
                case "providerID": providerId = String(value); break;
                case "unschedulable": unschedulable = NullableBool(value); break;
                case "taints": taints = List(value, Taint); break;
            }
        }
        return new NodeSpec { PodCIDR = podCidr, PodCIDRs = podCidrs, ProviderID = providerId, Unschedulable = unschedulable, Taints = taints };
    }

    private static Taint Taint(JsonObject o)
    {
        string? key = null, val = null, effect = null;
        DateTimeOffset? timeAdded = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (name, value) = o.GetAt(i);
            switch (name)
            {
                case "key": key = RequiredString(value); break;
                case "value": val = String(value); break;
                case "effect": effect = RequiredString(value); break;
                case "timeAdded": timeAdded = NullableTime(value); break;
            }
        }
        if (key is null || effect is null) throw Unreadable();
        return new Taint { Key = key, Value = val, Effect = effect, TimeAdded = timeAdded };
    }

    private static NodeStatus NodeStatus(JsonObject o)
    {
        Dictionary<string, string>? capacity = null, allocatable = null;
        List<NodeCondition>? conditions = null;
        List<NodeAddress>? addresses = null;
        NodeDaemonEndpoints? daemonEndpoints = null;
        NodeSystemInfo? nodeInfo = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "capacity": capacity = StringMap(value); break;
                case "allocatable": allocatable = StringMap(value); break;
                case "conditions": conditions = List(value, NodeCondition); break;
                case "addresses": addresses = List(value, NodeAddress); break;
                case "daemonEndpoints": daemonEndpoints = Nullable(value, DaemonEndpoints); break;
                case "nodeInfo": nodeInfo = Nullable(value, NodeSystemInfo); break;
            }
        }
        return new NodeStatus { Capacity = capacity, Allocatable = allocatable, Conditions = conditions, Addresses = addresses, DaemonEndpoints = daemonEndpoints, NodeInfo = nodeInfo };
    }

    private static NodeCondition NodeCondition(JsonObject o)
    {
        string? type = null, status = null, reason = null, message = null;
        DateTimeOffset? lastHeartbeatTime = null, lastTransitionTime = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "type": type = RequiredString(value); break;
                case "status": status = RequiredString(value); break;
                case "lastHeartbeatTime": lastHeartbeatTime = NullableTime(value); break;
                case "lastTransitionTime": lastTransitionTime = NullableTime(value); break;
                case "reason": reason = String(value); break;
                case "message": message = String(value); break;
            }
        }
        if (type is null || status is null) throw Unreadable();
        return new NodeCondition { Type = type, Status = status, LastHeartbeatTime = lastHeartbeatTime, LastTransitionTime = lastTransitionTime, Reason = reason, Message = message };
    }

    private static NodeAddress NodeAddress(JsonObject o)
    {
        string? type = null, address = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "type": type = RequiredString(value); break;
                case "address": address = RequiredString(value); break;
            }
        }
        if (type is null || address is null) throw Unreadable();
        return new NodeAddress { Type = type, Address = address };
    }

    private static NodeDaemonEndpoints DaemonEndpoints(JsonObject o)
    {
        DaemonEndpoint? kubelet = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            if (key == "kubeletEndpoint") kubelet = Nullable(value, DaemonEndpoint);
        }
        return new NodeDaemonEndpoints { KubeletEndpoint = kubelet };
    }

    private static DaemonEndpoint DaemonEndpoint(JsonObject o)
    {
        var port = 0;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            // The model names this property "Port", as the API does.
            if (key == "Port") port = Int(value);
        }
        return new DaemonEndpoint { Port = port };
    }

    private static NodeSystemInfo NodeSystemInfo(JsonObject o)
    {
        string? machineId = null, systemUuid = null, bootId = null, kernelVersion = null, osImage = null;
        string? runtimeVersion = null, kubeletVersion = null, kubeProxyVersion = null, operatingSystem = null, architecture = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "machineID": machineId = String(value); break;
                case "systemUUID": systemUuid = String(value); break;
                case "bootID": bootId = String(value); break;
                case "kernelVersion": kernelVersion = String(value); break;
                case "osImage": osImage = String(value); break;
                case "containerRuntimeVersion": runtimeVersion = String(value); break;
                case "kubeletVersion": kubeletVersion = String(value); break;
                case "kubeProxyVersion": kubeProxyVersion = String(value); break;
                case "operatingSystem": operatingSystem = String(value); break;
                case "architecture": architecture = String(value); break;
            }
        }
        return new NodeSystemInfo
        {
            MachineID = machineId!, SystemUUID = systemUuid!, BootID = bootId!, KernelVersion = kernelVersion!, OsImage = osImage!,
            ContainerRuntimeVersion = runtimeVersion!, KubeletVersion = kubeletVersion!, KubeProxyVersion = kubeProxyVersion!,
            OperatingSystem = operatingSystem!, Architecture = architecture!,
        };
    }
}
