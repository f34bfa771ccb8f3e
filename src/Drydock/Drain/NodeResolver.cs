using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Turns command arguments into nodes the way kubectl does: names or TYPE/NAME (node/n1), or a label selector —
/// never both. Every name is fetched first so an unknown node aborts before anything is cordoned.
/// </summary>
public static class NodeResolver
{
    private static readonly HashSet<string> NodeTypes = ["node", "nodes", "no"];

    /// <summary>Validates the arguments (usage errors) and returns the bare node names.</summary>
    public static IReadOnlyList<string> ParseNames(IReadOnlyList<string> args, string? selector, string verb)
    {
        if (args.Count > 0 && !string.IsNullOrEmpty(selector))
            throw new DrydockException(new UsageError("cannot specify both a node name and a --selector option"));
        if (args.Count == 0 && string.IsNullOrEmpty(selector))
            throw new DrydockException(new UsageError($"USAGE: {verb} NODE [flags]; see 'drydock {verb} --help'"));
        var names = new List<string>();
        foreach (var arg in args)
        {
            var slash = arg.IndexOf('/');
            if (slash < 0) { names.Add(arg); continue; }
            var type = arg[..slash].ToLowerInvariant();
            var name = arg[(slash + 1)..];
            if (type is "pod" or "pods" or "po")
                throw new DrydockException(new UsageError("expected resource of type node, got \"/v1, Resource=pods\""));
            if (!NodeTypes.Contains(type) || name.Length == 0)
                throw new DrydockException(new UsageError($"the server doesn't have a resource type \"{type}\""));
            names.Add(name);
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>GETs each named node (a 404 throws <see cref="KubeApiException"/>: nodes "x" not found) or LISTs by selector.</summary>
    public static async Task<IReadOnlyList<Node>> ResolveAsync(
        IKubeClient client, IReadOnlyList<string> names, string? selector, int chunkSize, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(selector))
        {
            var (items, _) = await DrainPaging.ListAllAsync<Node>(client, ResourceKind.Nodes,
                new ListOptions { LabelSelector = selector, Limit = chunkSize }, ct);
            return items.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        }
        var nodes = new List<Node>();
        foreach (var name in names)
            nodes.Add(await client.GetAsync<Node>(ResourceKind.Nodes, null, name, ct));
        return nodes;
    }
}
