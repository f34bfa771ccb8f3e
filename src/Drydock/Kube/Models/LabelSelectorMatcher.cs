namespace Drydock.Kube.Models;

/// <summary>
/// metav1.LabelSelector semantics (matchLabels AND matchExpressions In/NotIn/Exists/DoesNotExist; Gt/Lt for node
/// selector terms) — the one matcher drain, planning, batching and the rehearsal share. The sandbox's API server
/// parses selector query strings on its own side (Store/LabelSelectorExpr), as an apiserver does.
/// </summary>
public static class LabelSelectorMatcher
{
    /// <summary>policy/v1 PDB: a null selector matches nothing, an empty one matches everything.</summary>
    public static bool Matches(LabelSelector? selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= Empty;
        if (selector.MatchLabels is { } ml)
            foreach (var (k, v) in ml)
                if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        if (selector.MatchExpressions is { } exprs)
            foreach (var e in exprs)
                if (!Requirement(e.Key, e.Operator, e.Values, labels)) return false;
        return true;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    internal static bool Requirement(string key, string op, IReadOnlyList<string>? values, IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(key, out var actual);
        return op switch
        {
            "In" => has && values?.Contains(actual!) == true,
            "NotIn" => !has || values?.Contains(actual!) != true,
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && long.TryParse(actual, out var a) && values is [var g] && long.TryParse(g, out var gv) && a > gv,
            "Lt" => has && long.TryParse(actual, out var b) && values is [var l] && long.TryParse(l, out var lv) && b < lv,
            _ => false,
        };
    }
}
