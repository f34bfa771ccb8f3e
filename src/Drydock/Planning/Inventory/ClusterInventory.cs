using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>
/// Reads a live cluster into a <see cref="ClusterSnapshot"/> through <see cref="IKubeClient"/>: /version, nodes, pods,
/// PDBs, workloads and kube-system/kubeadm-config, each list paged (500 per page as kubectl does). Pods are read
/// last and reduced page by page to <see cref="PodState"/>, so the typed pods of a large cluster are never all held.
/// </summary>
public sealed class ClusterInventory(IKubeClient client, TimeProvider time)
{
    public const int PageSize = 500;

    public async Task<ClusterSnapshot> ReadAsync(CancellationToken ct = default)
    {
        var version = await client.GetVersionAsync(ct).ConfigureAwait(false);
        var readyz = await ReadyzAsync(ct).ConfigureAwait(false);
        var nodes = await ListAll<Node>(ResourceKind.Nodes, ct).ConfigureAwait(false);
        var pdbs = await ListAll<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, ct).ConfigureAwait(false);
        var deployments = await ListAll<Deployment>(ResourceKind.Deployments, ct).ConfigureAwait(false);
        var replicaSets = await ListAll<ReplicaSet>(ResourceKind.ReplicaSets, ct).ConfigureAwait(false);
        var statefulSets = await ListAll<StatefulSet>(ResourceKind.StatefulSets, ct).ConfigureAwait(false);
        var daemonSets = await ListAll<DaemonSet>(ResourceKind.DaemonSets, ct).ConfigureAwait(false);
        var jobs = await ListAll<Job>(ResourceKind.Jobs, ct).ConfigureAwait(false);
        var objects = new KubeObjectSet
        {
            Nodes = nodes, Pdbs = pdbs, Deployments = deployments, ReplicaSets = replicaSets,
            StatefulSets = statefulSets, DaemonSets = daemonSets, Jobs = jobs,
        };
        var workloads = SnapshotBuilder.Workloads(objects);
        var reducer = new SnapshotBuilder.PodReducer(workloads);
        var pods = new List<PodState>();
        await ForEachPage<Pod>(ResourceKind.Pods, page => pods.AddRange(page.Select(reducer.Reduce)), ct).ConfigureAwait(false);
        var configMaps = new List<ConfigMap>();
        try
        {
            configMaps.Add(await client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, "kube-system", "kubeadm-config", ct).ConfigureAwait(false));
        }
        catch (KubeApiException e) when (e.Code == 404) { /* SnapshotBuilder reports the missing ConfigMap */ }

        var apiVersions = new List<ObjectApiVersion>();
        void Track<T>(IEnumerable<T> objs, ResourceKind kind) where T : IKubeObject
        {
            foreach (var o in objs)
                apiVersions.Add(new ObjectApiVersion(kind.GroupVersion, kind.Kind,
                    o.Metadata.Namespace is null ? o.Metadata.Name ?? "" : $"{o.Metadata.Namespace}/{o.Metadata.Name}",
                    SnapshotBuilder.LastAppliedApiVersion(o.Metadata.Annotations)));
        }
        Track(pdbs, ResourceKind.PodDisruptionBudgets);
        Track(deployments, ResourceKind.Deployments);
        Track(statefulSets, ResourceKind.StatefulSets);
        Track(daemonSets, ResourceKind.DaemonSets);
        Track(jobs, ResourceKind.Jobs);

        return SnapshotBuilder.Build(objects with { ConfigMaps = configMaps, ApiVersions = apiVersions }, workloads, pods,
            client.Server.ToString(), live: true, version, time.GetUtcNow()) with { ApiServerReadyz = readyz };
    }

    /// <summary>/readyz?verbose; null when this client cannot ask or the server refuses (403 without public-info-viewer).</summary>
    private async Task<ApiHealth?> ReadyzAsync(CancellationToken ct)
    {
        try { return await client.GetHealthAsync("readyz", ct).ConfigureAwait(false); }
        catch (NotSupportedException) { return null; }
        catch (KubeApiException e) when (e.Code is 401 or 403 or 404) { return null; }
    }

    private async Task<List<T>> ListAll<T>(ResourceKind kind, CancellationToken ct) where T : class
    {
        var all = new List<T>();
        await ForEachPage<T>(kind, all.AddRange, ct).ConfigureAwait(false);
        return all;
    }

    private async Task ForEachPage<T>(ResourceKind kind, Action<IReadOnlyList<T>> onPage, CancellationToken ct) where T : class
    {
        string? next = null;
        do
        {
            var page = await client.ListAsync<T>(kind, new ListOptions { Limit = PageSize, Continue = next }, ct).ConfigureAwait(false);
            onPage(page.Items);
            next = page.Metadata?.Continue;
        } while (!string.IsNullOrEmpty(next));
    }
}
