using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Api;

/// <summary>The three patch types the apiserver accepts for built-in resources.</summary>
internal static class Patches
{
    /// <summary>List fields merged by a key under strategic merge (the ones that matter for the served kinds).</summary>
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name", ["initContainers"] = "name", ["volumes"] = "name", ["env"] = "name",
        ["volumeMounts"] = "mountPath", ["ports"] = "containerPort", ["conditions"] = "type",
        ["ownerReferences"] = "uid", ["addresses"] = "type", ["containerStatuses"] = "name", ["imagePullSecrets"] = "name",
    };

    public static JsonObject Apply(JsonObject target, PatchType type, string patch)
    {
        JsonNode? parsed;
        try { parsed = JsonNode.Parse(patch); }
        catch (System.Text.Json.JsonException e) { throw ApiErrors.BadRequest($"error decoding patch: {e.Message}"); }
        var copy = (JsonObject)target.DeepClone();
        switch (type)
        {
            case PatchType.Json:
                if (parsed is not JsonArray ops) throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
                return JsonPatch(copy, ops);
            case PatchType.Merge:
                if (parsed is not JsonObject mp) throw ApiErrors.BadRequest("merge patch must be a JSON object");
                return (JsonObject)MergePatch(copy, mp, strategic: false)!;
            default:
                if (parsed is not JsonObject sp) throw ApiErrors.BadRequest("strategic merge patch must be a JSON object");
                return (JsonObject)MergePatch(copy, sp, strategic: true)!;
        }
    }

    /// <summary>RFC 7386 merge; with <paramref name="strategic"/>, keyed lists merge by their merge key and
    /// <c>$patch</c>/<c>$setElementOrder</c>/<c>$retainKeys</c> directives are understood.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch, bool strategic, string? field = null)
    {
        if (patch is JsonObject po)
        {
            if (strategic && po.S("$patch") == "replace") { var r = (JsonObject)po.DeepClone(); r.Remove("$patch"); return r; }
            if (strategic && po.S("$patch") == "delete") return null;
            var to = target as JsonObject ?? new JsonObject();
            foreach (var (k, v) in po)
            {
                if (strategic && k.StartsWith('$')) continue;
                if (strategic && k.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
                if (v is null) { to.Remove(k); continue; }
                // `to` is already the caller's private copy, so an object under it is merged in place (no second copy).
                var current = to[k];
                var merged = MergePatch(current, v, strategic, k);
                if (!ReferenceEquals(merged, current)) to[k] = merged;
            }
            return to;
        }
        if (strategic && patch is JsonArray pa && field is not null && MergeKeys.TryGetValue(field, out var mergeKey) && target is JsonArray ta)
        {
            var result = (JsonArray)ta.DeepClone();
            foreach (var item in pa)
            {
                if (item is not JsonObject io || io[mergeKey] is null) { result.Add(item?.DeepClone()); continue; }
                var kv = io[mergeKey]!.ToJsonString();
                var existing = result.OfType<JsonObject>().FirstOrDefault(e => e[mergeKey]?.ToJsonString() == kv);
                if (io.S("$patch") == "delete") { if (existing is not null) result.Remove(existing); continue; }
                if (existing is null) { result.Add(MergePatch(null, io, strategic)); continue; }
                var idx = result.IndexOf(existing);
                result[idx] = MergePatch(existing.DeepClone(), io, strategic);
            }
            return result;
        }
        return Copy(patch);
    }

    /// <summary>A patch value for the stored object. Strings parsed from the patch text are backed by its bytes and
    /// decode (allocate) a new string on every read; a stored value is read far more often than it is patched (a run
    /// state's ConfigMap keys are size-checked, compared and converted on every save), so strings are decoded once here.</summary>
    private static JsonNode? Copy(JsonNode? patch) =>
        patch is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.TryGetValue<string>(out var text)
            ? JsonValue.Create(text)
            : patch?.DeepClone();

    private static JsonObject JsonPatch(JsonObject doc, JsonArray ops)
    {
        JsonNode root = doc;
        foreach (var op in ops.OfType<JsonObject>())
        {
            var path = op.S("path") ?? throw ApiErrors.BadRequest("missing path in JSON patch operation");
            switch (op.S("op"))
            {
                case "add": Set(root, path, op["value"]?.DeepClone(), insert: true); break;
                case "replace": Resolve(root, path); Set(root, path, op["value"]?.DeepClone(), insert: false); break;
                case "remove": Remove(root, path); break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                        throw ApiErrors.Make(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                case "move": { var from = op.S("from")!; var v = Resolve(root, from)?.DeepClone(); Remove(root, from); Set(root, path, v, true); break; }
                case "copy": { var v = Resolve(root, op.S("from")!)?.DeepClone(); Set(root, path, v, true); break; }
                default: throw ApiErrors.BadRequest($"Unexpected kind: {op.S("op")}");
            }
        }
        return doc;
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();

    private static JsonNode? Resolve(JsonNode root, string path)
    {
        JsonNode? cur = root;
        foreach (var t in Tokens(path))
        {
            cur = cur switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw ApiErrors.Make(422, "Invalid", $"the server rejected our request due to an error in our request: jsonpatch: path {path} does not exist"),
            };
        }
        return cur;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0) throw ApiErrors.BadRequest("cannot patch the document root");
        var parent = Resolve(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1"))));
        if (tokens.Length == 1) parent = root;
        return (parent ?? throw ApiErrors.BadRequest($"null parent for {path}"), tokens[^1]);
    }

    private static void Set(JsonNode root, string path, JsonNode? value, bool insert)
    {
        var (parent, last) = Parent(root, path);
        if (parent is JsonObject o) { o[last] = value; return; }
        if (parent is JsonArray a)
        {
            if (last == "-") { a.Add(value); return; }
            var i = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            if (insert) a.Insert(i, value); else a[i] = value;
            return;
        }
        throw ApiErrors.BadRequest($"cannot set {path}");
    }

    private static void Remove(JsonNode root, string path)
    {
        Resolve(root, path);
        var (parent, last) = Parent(root, path);
        if (parent is JsonObject o) o.Remove(last);
        else if (parent is JsonArray a) a.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
    }
}
