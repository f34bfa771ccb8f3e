using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Api;

/// <summary>A parsed Kubernetes resource URL: /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]] or /apis/G/V/...;
/// the legacy /watch/ prefix is understood.</summary>
internal sealed record ResourcePath(ServedResource Resource, string? Namespace, string? Name, string? Subresource, bool LegacyWatch)
{
    public static ResourcePath? Parse(string[] segs)
    {
        string group, version;
        int i;
        if (segs.Length >= 3 && segs[0] == "api") { group = ""; version = segs[1]; i = 2; }
        else if (segs.Length >= 4 && segs[0] == "apis") { group = segs[1]; version = segs[2]; i = 3; }
        else return null;
        var watch = false;
        if (segs[i] == "watch") { watch = true; i++; }
        var rest = segs[i..];
        if (rest.Length == 0) return null;
        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3 && ServedResource.Find(group, version, rest[2]) is { Kind.Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var r = ServedResource.Find(group, version, rest[0]);
        if (r is null || rest.Length > 3) return null;
        var name = rest.Length >= 2 ? rest[1] : null;
        var sub = rest.Length == 3 ? rest[2] : null;
        if (sub is not null && !r.Subresources.Contains(sub)) return null;
        return new ResourcePath(r, ns, name, sub, watch);
    }

    public string StatsKey => Subresource is null ? Resource.Kind.Plural : $"{Resource.Kind.Plural}/{Subresource}";
}
