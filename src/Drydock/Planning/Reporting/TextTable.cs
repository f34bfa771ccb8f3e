namespace Drydock.Planning.Reporting;

/// <summary>Left-aligned columns separated by three spaces, like kubeadm's tabwriter output. Trailing spaces trimmed.</summary>
public static class TextTable
{
    public static IReadOnlyList<string> Format(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0) return [];
        var columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var r in rows)
            for (var i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        return rows.Select(r => string.Concat(r.Select((cell, i) => i == r.Length - 1 ? cell : cell.PadRight(widths[i] + 3))).TrimEnd()).ToList();
    }
}
