using System.Globalization;
using System.Text;

namespace Drydock.Kube.Client;

/// <summary>Query strings as the API server reads them.</summary>
internal static class KubeQuery
{
    public static string ForList(ListOptions o) => Build(
        ("labelSelector", o.LabelSelector),
        ("fieldSelector", o.FieldSelector),
        ("limit", o.Limit > 0 ? o.Limit.ToString(CultureInfo.InvariantCulture) : null),
        ("continue", o.Continue),
        ("resourceVersion", o.ResourceVersion),
        ("timeoutSeconds", o.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture)));

    public static string ForWatch(ListOptions o) => Build(
        ("watch", "true"),
        ("labelSelector", o.LabelSelector),
        ("fieldSelector", o.FieldSelector),
        ("resourceVersion", o.ResourceVersion),
        ("allowWatchBookmarks", o.AllowWatchBookmarks ? "true" : null),
        ("timeoutSeconds", o.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture)));

    public static string ForDryRun(DryRun dryRun) => dryRun == DryRun.Server ? "?dryRun=All" : "";

    private static string Build(params (string Key, string? Value)[] pairs)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (string.IsNullOrEmpty(value)) continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }
}
