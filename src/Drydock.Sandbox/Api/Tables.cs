using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Api;

/// <summary>meta.k8s.io/v1 Table responses (what kubectl's human output asks for), with kubectl's columns.</summary>
internal static class Tables
{
    private sealed record Column(string Name, string Type, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

    public static JsonObject Build(ServedResource r, ListPage page, DateTimeOffset now, bool includeObject)
    {
        var columns = Columns(r);
        var rows = new JsonArray();
        foreach (var o in page.Items)
            rows.Add(new JsonObject
            {
                ["cells"] = Obj.Array(columns.Select(c => c.Cell(o, now))),
                ["object"] = includeObject ? o.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                },
            });
        var meta = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null) meta["continue"] = page.Continue;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["columnDefinitions"] = Obj.Array(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Name == "Name" ? "name" : "", ["description"] = c.Name, ["priority"] = c.Priority,
            })),
            ["rows"] = rows,
        };
    }

    private static Column Name => new("Name", "string", 0, (o, _) => o.Name());
    private static Column Age => new("Age", "string", 0, (o, now) => HumanAge(now - (Obj.ParseTime(o.O("metadata").S("creationTimestamp")) ?? now)));

    private static List<Column> Columns(ServedResource r)
    {
        if (r == ServedResource.Nodes)
            return
            [
                Name,
                new("Status", "string", 0, (o, _) => NodeStatus(o)),
                new("Roles", "string", 0, (o, _) => Roles(o)),
                Age,
                new("Version", "string", 0, (o, _) => o.Status().O("nodeInfo").S("kubeletVersion") ?? ""),
                new("Internal-IP", "string", 1, (o, _) => Address(o, "InternalIP")),
                new("External-IP", "string", 1, (o, _) => Address(o, "ExternalIP")),
                new("OS-Image", "string", 1, (o, _) => o.Status().O("nodeInfo").S("osImage") ?? "<unknown>"),
                new("Kernel-Version", "string", 1, (o, _) => o.Status().O("nodeInfo").S("kernelVersion") ?? "<unknown>"),
                new("Container-Runtime", "string", 1, (o, _) => o.Status().O("nodeInfo").S("containerRuntimeVersion") ?? "<unknown>"),
            ];
        if (r == ServedResource.Pods)
            return
            [
                Name,
                new("Ready", "string", 0, (o, _) =>
                {
                    var cs = (o.Status().A("containerStatuses") ?? []).OfType<JsonObject>().ToList();
                    var total = (o.Spec().A("containers") ?? []).Count;
                    return $"{cs.Count(c => c.B("ready") == true)}/{total}";
                }),
                new("Status", "string", 0, (o, _) => o.IsTerminating() ? "Terminating" : o.Status().S("phase") switch
                {
                    "Succeeded" => "Completed", "Failed" => "Error", "Pending" when o.Status().S("podIP") is not null => "ContainerCreating",
                    var p => p ?? "Unknown",
                }),
                new("Restarts", "integer", 0, (o, _) => (o.Status().A("containerStatuses") ?? []).OfType<JsonObject>().Sum(c => c.L("restartCount") ?? 0)),
                Age,
                new("IP", "string", 1, (o, _) => o.Status().S("podIP") ?? "<none>"),
                new("Node", "string", 1, (o, _) => o.Spec().S("nodeName") ?? "<none>"),
            ];
        if (r == ServedResource.Pdbs)
            return
            [
                Name,
                new("Min Available", "string", 0, (o, _) => o.Spec()?["minAvailable"]?.ToString() ?? "N/A"),
                new("Max Unavailable", "string", 0, (o, _) => o.Spec()?["maxUnavailable"]?.ToString() ?? "N/A"),
                new("Allowed Disruptions", "integer", 0, (o, _) => o.Status().L("disruptionsAllowed") ?? 0),
                Age,
            ];
        if (r == ServedResource.Deployments)
            return
            [
                Name,
                new("Ready", "string", 0, (o, _) => $"{o.Status().L("readyReplicas") ?? 0}/{o.Spec().L("replicas") ?? 1}"),
                new("Up-to-date", "integer", 0, (o, _) => o.Status().L("updatedReplicas") ?? 0),
                new("Available", "integer", 0, (o, _) => o.Status().L("availableReplicas") ?? 0),
                Age,
            ];
        if (r == ServedResource.DaemonSets)
            return
            [
                Name,
                new("Desired", "integer", 0, (o, _) => o.Status().L("desiredNumberScheduled") ?? 0),
                new("Current", "integer", 0, (o, _) => o.Status().L("currentNumberScheduled") ?? 0),
                new("Ready", "integer", 0, (o, _) => o.Status().L("numberReady") ?? 0),
                Age,
            ];
        return [Name, Age];
    }

    private static string NodeStatus(JsonObject node)
    {
        var ready = (node.Status().A("conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.S("type") == "Ready");
        var s = ready?.S("status") == "True" ? "Ready" : ready is null ? "Unknown" : "NotReady";
        return node.Spec().B("unschedulable") == true ? s + ",SchedulingDisabled" : s;
    }

    private static string Roles(JsonObject node)
    {
        var roles = node.Labels().Keys.Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..]).Where(k => k.Length > 0).Order(StringComparer.Ordinal).ToList();
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string Address(JsonObject node, string type) =>
        (node.Status().A("addresses") ?? []).OfType<JsonObject>().FirstOrDefault(a => a.S("type") == type)?.S("address") ?? "<none>";

    /// <summary>k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    public static string HumanAge(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 0) return "<invalid>";
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        if (hours < 192) return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        var days = hours / 24;
        if (days < 365 * 2) return $"{days}d";
        var years = days / 365;
        if (years < 8) return days % 365 == 0 ? $"{years}y" : $"{years}y{days % 365}d";
        return $"{years}y";
    }
}
