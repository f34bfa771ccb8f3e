using System.Text.RegularExpressions;

namespace Drydock.Drain;

/// <summary>Checks a label selector string the way kubectl does before sending it (labels.Parse): equality,
/// inequality, set-based (in/notin) and existence terms, comma-separated.</summary>
public static partial class LabelSelectorSyntax
{
    [GeneratedRegex(@"^\s*(!?\s*[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?)\s*$|^\s*[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?\s*(=|==|!=)\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?\s*$|^\s*[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?\s+(in|notin)\s*\(\s*[-A-Za-z0-9_.]*(\s*,\s*[-A-Za-z0-9_.]*)*\s*\)\s*$")]
    private static partial Regex Term();

    public static bool IsValid(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return true;
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= selector.Length; i++)
        {
            if (i < selector.Length && selector[i] == '(') depth++;
            else if (i < selector.Length && selector[i] == ')') depth--;
            else if (i == selector.Length || (selector[i] == ',' && depth == 0))
            {
                if (!Term().IsMatch(selector[start..i])) return false;
                start = i + 1;
            }
        }
        return depth == 0;
    }
}
