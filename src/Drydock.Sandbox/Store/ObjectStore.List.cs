using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>One page of a LIST: the items, the version they were read at, and the continue token.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

internal sealed partial class ObjectStore
{
    /// <summary>LIST with selectors and limit/continue paging (keys in order; the token is the last key returned).
    /// A page costs O(log n) to find plus the keys it looks at, whatever page of the list it is.</summary>
    public ListPage List(ServedResource r, string? ns, LabelSelectorExpr labels, FieldSelectorExpr fields, int limit, string? continueToken)
    {
        lock (Gate)
        {
            var table = _tables[r];
            string? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                try { after = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken)); }
                catch (FormatException) { throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data"); }
            }
            // spec.nodeName on pods reads the pods-by-node index, so a drain's LIST costs what is on the node.
            var node = r == ServedResource.Pods ? fields.EqualityValue("spec.nodeName") : null;
            var index = node is null ? table.Keys
                : node.Length == 0 ? _unscheduledPods
                : _podsByNode.GetValueOrDefault(node);
            string? from = null, until = null;
            if (!string.IsNullOrEmpty(ns) && r.Kind.Namespaced) { from = ns + "/"; until = NamespaceEnd(ns); }
            if (after is not null && (from is null || string.CompareOrdinal(after, from) > 0)) from = after;
            var keys = index?.Range(from, until) ?? [];
            var items = new List<JsonObject>();
            string? last = null;
            var more = false;
            foreach (var k in keys)
            {
                var o = table.Items[k];
                if (!labels.IsEmpty && !labels.Matches(o.Labels())) continue;
                if (!fields.IsEmpty && !fields.Matches(o)) continue;
                if (limit > 0 && items.Count == limit) { more = true; break; }
                items.Add(o);
                last = k;
            }
            var token = more && last is not null ? Convert.ToBase64String(Encoding.UTF8.GetBytes(last)) : null;
            return new ListPage(items, _resourceVersion, token, null);
        }
    }

    public static JsonObject ListObject(ServedResource r, ListPage page)
    {
        var meta = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (page.Continue is not null) meta["continue"] = page.Continue;
        return new JsonObject
        {
            ["kind"] = r.ListKind,
            ["apiVersion"] = r.ApiVersion,
            ["metadata"] = meta,
            ["items"] = Obj.Array(page.Items.Select(i => i.DeepClone())),
        };
    }
}
