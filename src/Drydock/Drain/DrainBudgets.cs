using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// The PodDisruptionBudgets one node's drain reads: only the namespaces of the pods it evicts, each listed at most
/// once, and only when a diagnosis is wanted — never a cluster-wide LIST per node, which at a few thousand budgets
/// was most of a large rollout's read traffic. A namespace whose LIST is refused (no RBAC right) counts as having
/// none: the drain still works, only without the diagnosis. Safe for the concurrent pod evictions of one drain.
/// </summary>
internal sealed class DrainBudgets(IKubeClient client, int chunkSize)
{
    private readonly object _gate = new();
    // The task, not its result: concurrent refusals in one namespace share a single LIST.
    private readonly Dictionary<string, Task<IReadOnlyList<PodDisruptionBudget>>> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>The budgets of every namespace the pods live in, namespaces in ordinal order.</summary>
    public async Task<IReadOnlyList<PodDisruptionBudget>> CoveringNamespacesOfAsync(IEnumerable<Pod> pods, CancellationToken ct)
    {
        var result = new List<PodDisruptionBudget>();
        foreach (var ns in pods.Select(Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            result.AddRange(await InNamespaceAsync(ns, ct));
        return result;
    }

    /// <summary>The budget that refused evicting <paramref name="pod"/>, with current numbers: a GET of the one the
    /// refusal names, else the one covering the pod among its namespace's budgets (listed once).</summary>
    public async Task<PodDisruptionBudget?> RefusingAsync(Pod pod, Status refusal, CancellationToken ct)
    {
        var ns = Namespace(pod);
        if (PdbDiagnostics.RefusingBudget(refusal) is { } name)
        {
            try
            {
                return await client.GetAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, ns, name, ct);
            }
            catch (KubeApiException)
            {
                // Gone or not readable one by one: fall back to the namespace's listing.
            }
        }
        return PdbDiagnostics.For(pod, await InNamespaceAsync(ns, ct));
    }

    private Task<IReadOnlyList<PodDisruptionBudget>> InNamespaceAsync(string ns, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_byNamespace.TryGetValue(ns, out var listing)) _byNamespace[ns] = listing = ListAsync(ns, ct);
            return listing;
        }
    }

    private async Task<IReadOnlyList<PodDisruptionBudget>> ListAsync(string ns, CancellationToken ct)
    {
        try
        {
            var (items, _) = await DrainPaging.ListAllAsync<PodDisruptionBudget>(client, ResourceKind.PodDisruptionBudgets,
                new ListOptions { Namespace = ns, Limit = chunkSize }, ct);
            return items;
        }
        catch (KubeApiException)
        {
            return [];
        }
    }

    private static string Namespace(Pod pod) => pod.Metadata.Namespace ?? "default";
}
