using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>One page of a LIST: the items, the version they were read at, and the continue token.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

internal sealed partial class ObjectStore
{
    /// <summary>LIST with selectors and limit/continue paging (keys in order; the token is the last key returned).
    /// spec.nodeName on pods uses the pods-by-node index, so a drain's LIST costs what is on the node.</summary>
    public ListPage List(ServedResource r, string? ns, LabelSelectorExpr labels, FieldSelectorExpr fields, int limit, string? continueToken)
    {
        lock (Gate)
        {
            var table = _tables[r.Key];
            string? after = null;
            if (!string.IsNullOrEmpty(continueToken))
            {
                try { after = Encoding.UTF8.GetString(Convert.FromBase64String(continueToken)); }
                catch (FormatException) { throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data"); }
            }
            IEnumerable<string> keys;
            var node = r == ServedResource.Pods ? fields.EqualityValue("spec.nodeName") : null;
            if (node is not null)
            {
                IEnumerable<string> onNode = node.Length == 0 ? _unscheduledPods
                    : _podsByNode.TryGetValue(node, out var set) ? set.Order(StringComparer.Ordinal) : [];
                keys = onNode.Where(k => string.IsNullOrEmpty(ns) || k.StartsWith(ns + "/", StringComparison.Ordinal));
                if (after is not null) keys = keys.Where(k => string.CompareOrdinal(k, after) > 0);
            }
            else
            {
                var lower = string.IsNullOrEmpty(ns) || !r.Kind.Namespaced ? "" : ns + "/";
                var upper = string.IsNullOrEmpty(ns) || !r.Kind.Namespaced ? "\uffff" : ns + "/\uffff";
                if (after is not null && string.CompareOrdinal(after, lower) >= 0) lower = after + "\0";
                keys = string.CompareOrdinal(lower, upper) > 0 || table.Keys.Count == 0 ? [] : table.Keys.GetViewBetween(lower, upper);
            }
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
