using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>
/// A parsed label selector: the query-string form (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>) or a
/// metav1.LabelSelector object (matchLabels + matchExpressions). Requirements are ANDed.
/// </summary>
internal sealed class LabelSelectorExpr
{
    private readonly List<(string Key, string Op, HashSet<string> Values)> _requirements = [];

    /// <summary>Matches nothing (a nil selector on a PDB or workload).</summary>
    public bool MatchesNothing { get; private init; }

    public static readonly LabelSelectorExpr Everything = new();
    public static readonly LabelSelectorExpr Nothing = new() { MatchesNothing = true };

    public bool IsEmpty => !MatchesNothing && _requirements.Count == 0;

    /// <summary>A label every matching object must carry with exactly this value (the first <c>key=value</c>
    /// requirement), for indexes; null when there is none.</summary>
    public (string Key, string Value)? RequiredLabel()
    {
        foreach (var (key, op, values) in _requirements)
            if (op is "=" or "in" && values.Count == 1) return (key, values.First());
        return null;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        if (MatchesNothing) return false;
        foreach (var (key, op, values) in _requirements)
        {
            var has = labels.TryGetValue(key, out var v);
            var ok = op switch
            {
                "=" => has && values.Contains(v!),
                "!=" => !has || !values.Contains(v!),
                "in" => has && values.Contains(v!),
                "notin" => !has || !values.Contains(v!),
                "exists" => has,
                "!" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Matches a metadata.labels object directly (no dictionary copy; the hot path of PDB bookkeeping).</summary>
    public bool Matches(JsonObject? labels)
    {
        if (MatchesNothing) return false;
        foreach (var (key, op, values) in _requirements)
        {
            var v = labels?[key] is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
            var has = v is not null;
            var ok = op switch
            {
                "=" or "in" => has && values.Contains(v!),
                "!=" or "notin" => !has || !values.Contains(v!),
                "exists" => has,
                "!" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Parses the query-string syntax; throws <see cref="FormatException"/> with kubectl-like text.</summary>
    public static LabelSelectorExpr Parse(string? text)
    {
        var sel = new LabelSelectorExpr();
        if (string.IsNullOrWhiteSpace(text)) return sel;
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            if (part.StartsWith('!')) { sel.Add(Key(part[1..]), "!", []); continue; }
            var inIdx = IndexOfWord(part, " in ");
            var notInIdx = IndexOfWord(part, " notin ");
            if (notInIdx > 0) { sel.Add(Key(part[..notInIdx]), "notin", SetValues(part[(notInIdx + 7)..])); continue; }
            if (inIdx > 0) { sel.Add(Key(part[..inIdx]), "in", SetValues(part[(inIdx + 4)..])); continue; }
            int i;
            if ((i = part.IndexOf("!=", StringComparison.Ordinal)) > 0) sel.Add(Key(part[..i]), "!=", [part[(i + 2)..].Trim()]);
            else if ((i = part.IndexOf("==", StringComparison.Ordinal)) > 0) sel.Add(Key(part[..i]), "=", [part[(i + 2)..].Trim()]);
            else if ((i = part.IndexOf('=')) > 0) sel.Add(Key(part[..i]), "=", [part[(i + 1)..].Trim()]);
            else sel.Add(Key(part), "exists", []);
        }
        return sel;
    }

    /// <summary>metav1.LabelSelector; null → nothing (policy/v1 PDB and workload semantics), {} → everything.</summary>
    public static LabelSelectorExpr FromObject(JsonObject? selector)
    {
        if (selector is null) return Nothing;
        var sel = new LabelSelectorExpr();
        foreach (var (k, v) in selector.O("matchLabels").StringMap()) sel.Add(k, "=", [v]);
        if (selector.A("matchExpressions") is { } exprs)
            foreach (var e in exprs.OfType<JsonObject>())
            {
                var values = (e.A("values") ?? []).Select(x => x?.GetValue<string>() ?? "").ToList();
                var op = e.S("operator") switch
                {
                    "In" => "in",
                    "NotIn" => "notin",
                    "Exists" => "exists",
                    "DoesNotExist" => "!",
                    var other => throw new FormatException($"\"{other}\" is not a valid label selector operator"),
                };
                sel.Add(e.S("key") ?? "", op, values);
            }
        return sel;
    }

    private void Add(string key, string op, IEnumerable<string> values) => _requirements.Add((key, op, values.ToHashSet(StringComparer.Ordinal)));

    private static string Key(string k)
    {
        k = k.Trim();
        if (k.Length == 0 || k.Contains(' ')) throw new FormatException($"invalid label key \"{k}\"");
        return k;
    }

    private static IEnumerable<string> SetValues(string s)
    {
        s = s.Trim();
        if (!s.StartsWith('(') || !s.EndsWith(')')) throw new FormatException($"found '{s}', expected: '('");
        return s[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);
    }

    private static int IndexOfWord(string s, string word) => s.IndexOf(word, StringComparison.Ordinal);

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0) { yield return text[start..i]; start = i + 1; }
        }
        yield return text[start..];
    }
}
