using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>LIST with kubectl's --chunk-size paging (limit + continue); returns the items and the list's resourceVersion.</summary>
internal static class DrainPaging
{
    public static async Task<(List<T> Items, string? ResourceVersion)> ListAllAsync<T>(
        IKubeClient client, ResourceKind kind, ListOptions options, CancellationToken ct) where T : class
    {
        var items = new List<T>();
        string? rv = null;
        var page = options;
        while (true)
        {
            var list = await client.ListAsync<T>(kind, page, ct);
            items.AddRange(list.Items);
            rv ??= list.Metadata?.ResourceVersion; // every page shares the first page's snapshot
            var next = list.Metadata?.Continue;
            if (string.IsNullOrEmpty(next) || options.Limit <= 0) return (items, rv);
            page = options with { Continue = next };
        }
    }

    public static string NodePodsFieldSelector(string node) => $"spec.nodeName={node}";
}
