using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>Field selectors the apiserver supports for the resources kubectl and Drydock list:
/// metadata.name, metadata.namespace, spec.nodeName, status.phase (and spec.unschedulable on nodes), with =, ==, !=.</summary>
internal sealed class FieldSelectorExpr
{
    private readonly List<Term> _terms = [];

    public static readonly FieldSelectorExpr Everything = new();

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The value of an equality term on a field (used to pick an index, e.g. spec.nodeName).</summary>
    public string? EqualityValue(string field)
    {
        foreach (var t in _terms)
            if (t.Equal && t.Field == field) return t.Value;
        return null;
    }

    /// <summary>Whether the selector is exactly one equality term on <paramref name="field"/>: an index on that
    /// field then decides a match by itself.</summary>
    public bool IsOnlyEquality(string field) => _terms.Count == 1 && _terms[0].Equal && _terms[0].Field == field;

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
            sel._terms.Add(new Term(field, equal, value.Trim()));
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

    /// <summary>Whether every term holds; a missing or non-string field reads as "". Allocates nothing: it runs for
    /// every watch candidate of every commit.</summary>
    public bool Matches(JsonObject o)
    {
        foreach (var t in _terms)
            if (t.Holds(o) != t.Equal) return false;
        return true;
    }

    /// <summary>One <c>field=value</c> or <c>field!=value</c> requirement, with the field's place in the object
    /// ("spec" / "nodeName") resolved when parsed.</summary>
    private sealed class Term
    {
        public Term(string field, bool equal, string value)
        {
            Field = field; Equal = equal; Value = value;
            var dot = field.IndexOf('.');
            Section = field[..dot];
            Key = field[(dot + 1)..];
            IsBoolean = field == "spec.unschedulable";
            Known = field is "metadata.name" or "metadata.namespace" or "spec.nodeName" or "status.phase" or "spec.unschedulable"
                or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName" or "status.podIP" or "status.nominatedNodeName";
        }

        public string Field { get; }
        public bool Equal { get; }
        public string Value { get; }
        private string Section { get; }
        private string Key { get; }
        private bool Known { get; }
        private bool IsBoolean { get; }

        /// <summary>Whether the field's value equals <see cref="Value"/> (before the = / != is applied).</summary>
        public bool Holds(JsonObject o)
        {
            if (!Known) return Value.Length == 0;
            var parent = o[Section];
            if (IsBoolean) return Value == ((parent.B(Key) ?? false) ? "true" : "false");
            return parent.StringIs(Key, Value);
        }
    }
}
