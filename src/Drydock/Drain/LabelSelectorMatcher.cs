using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>metav1.LabelSelector semantics: matchLabels AND matchExpressions; an empty selector matches everything,
/// a null one nothing (policy/v1 PodDisruptionBudget rules).</summary>
public static class LabelSelectorMatcher
{
    public static bool Matches(LabelSelector? selector, IReadOnlyDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        foreach (var req in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(req.Key, out var value);
            var values = req.Values ?? [];
            var ok = req.Operator switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
