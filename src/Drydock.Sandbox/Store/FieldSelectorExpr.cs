using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>Field selectors the apiserver supports for the resources kubectl and Drydock list:
/// metadata.name, metadata.namespace, spec.nodeName, status.phase (and spec.unschedulable on nodes), with =, ==, !=.</summary>
internal sealed class FieldSelectorExpr
{
    private readonly List<(string Field, bool Equal, string Value)> _terms = [];

    public static readonly FieldSelectorExpr Everything = new();

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The value of an equality term on a field (used to pick an index, e.g. spec.nodeName).</summary>
    public string? EqualityValue(string field) => _terms.FirstOrDefault(t => t.Field == field && t.Equal).Value;

    public static FieldSelectorExpr Parse(string? text, string resource)
    {
        var sel = new FieldSelectorExpr();
        if (string.IsNullOrWhiteSpace(text)) return sel;
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            string field, value;
            bool equal;
            int i;
            if ((i = part.IndexOf("!=", StringComparison.Ordinal)) > 0) { field = part[..i]; value = part[(i + 2)..]; equal = false; }
            else if ((i = part.IndexOf("==", StringComparison.Ordinal)) > 0) { field = part[..i]; value = part[(i + 2)..]; equal = true; }
            else if ((i = part.IndexOf('=')) > 0) { field = part[..i]; value = part[(i + 1)..]; equal = true; }
            else throw new FormatException($"invalid selector: '{part}'; can't understand '{part}'");
            field = field.Trim();
            if (!Supported(field, resource))
                throw new FormatException($"field label not supported: {field}");
            sel._terms.Add((field, equal, value.Trim()));
        }
        return sel;
    }

    private static bool Supported(string field, string resource) => field switch
    {
        "metadata.name" or "metadata.namespace" => true,
        "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName"
            or "status.podIP" or "status.nominatedNodeName" => resource == "pods",
        "spec.unschedulable" => resource == "nodes",
        "status.phase" => resource is "pods" or "namespaces",
        _ => false,
    };

    public bool Matches(JsonObject o)
    {
        foreach (var (field, equal, value) in _terms)
        {
            var actual = field switch
            {
                "metadata.name" => o.Name(),
                "metadata.namespace" => o.Ns() ?? "",
                "spec.nodeName" => o.Spec().S("nodeName") ?? "",
                "status.phase" => o.Status().S("phase") ?? "",
                "spec.unschedulable" => (o.Spec().B("unschedulable") ?? false) ? "true" : "false",
                "spec.restartPolicy" => o.Spec().S("restartPolicy") ?? "",
                "spec.schedulerName" => o.Spec().S("schedulerName") ?? "",
                "spec.serviceAccountName" => o.Spec().S("serviceAccountName") ?? "",
                "status.podIP" => o.Status().S("podIP") ?? "",
                "status.nominatedNodeName" => o.Status().S("nominatedNodeName") ?? "",
                _ => "",
            };
            if ((actual == value) != equal) return false;
        }
        return true;
    }
}
