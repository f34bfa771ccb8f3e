using Drydock.Versions;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>How many kubelets report each version text, and each text's parse, so a skew check after a clock jump
/// visits only as many kubelets as it takes to meet every distinct version (a rollout has two or three at a time).</summary>
internal sealed class KubeletVersionCensus
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeVersion?> _parsed = new(StringComparer.Ordinal);

    /// <summary>Distinct version texts among the kubelets counted.</summary>
    public int DistinctTexts => _counts.Count;

    public void Add(string text) => _counts[text] = _counts.GetValueOrDefault(text) + 1;

    public void Remove(string text)
    {
        if (!_counts.TryGetValue(text, out var n)) return;
        if (n <= 1) _counts.Remove(text);
        else _counts[text] = n - 1;
    }

    /// <summary>The version a text parses to (null when it does not), parsed once per distinct text.</summary>
    public KubeVersion? Parse(string text)
    {
        if (!_parsed.TryGetValue(text, out var v)) _parsed[text] = v = KubeVersion.TryParse(text, out _);
        return v;
    }
}
