using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Api;

/// <summary>Discovery documents: /api, /apis, /api/v1, /apis/GROUP[/VERSION].</summary>
internal static class Discovery
{
    public static IEnumerable<string> Groups =>
        ServedResource.All.Select(r => r.Kind.Group).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal);

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = Obj.Array(Groups.Select(g => (JsonNode)Group(g))),
    };

    public static JsonObject Group(string group)
    {
        var version = ServedResource.All.First(r => r.Kind.Group == group).Kind.Version;
        var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    public static JsonObject? ResourceList(string group, string version)
    {
        var served = ServedResource.All.Where(r => r.Kind.Group == group && r.Kind.Version == version).ToList();
        if (served.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var r in served)
        {
            resources.Add(new JsonObject
            {
                ["name"] = r.Kind.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Kind.Namespaced,
                ["kind"] = r.Kind.Kind,
                ["verbs"] = Obj.Array(ServedResource.Verbs.Select(v => (JsonNode)v)),
                ["shortNames"] = r.ShortNames.Count > 0 ? Obj.Array(r.ShortNames.Select(s => (JsonNode)s)) : null,
                ["storageVersionHash"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(r.Key)))[..11],
            });
            foreach (var sub in r.Subresources)
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{r.Kind.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = r.Kind.Namespaced,
                    ["kind"] = sub switch { "eviction" => "Eviction", "scale" => "Scale", "binding" => "Binding", _ => r.Kind.Kind },
                    ["verbs"] = sub is "eviction" or "binding" ? new JsonArray("create") : new JsonArray("get", "patch", "update"),
                };
                if (sub == "eviction") { entry["group"] = "policy"; entry["version"] = "v1"; }
                if (sub == "scale") { entry["group"] = "autoscaling"; entry["version"] = "v1"; }
                resources.Add(entry);
            }
        }
        foreach (var e in resources.OfType<JsonObject>().Where(e => e["shortNames"] is null).ToList()) e.Remove("shortNames");
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
