using Drydock.Kube.Client;
using Drydock.Kube.Models;

namespace Drydock.Kube;

/// <summary>Paging and typed conveniences over any <see cref="IKubeClient"/> (HTTP or sandbox).</summary>
public static class KubeClientExtensions
{
    /// <summary>Every page of a list, following <c>continue</c>. The result's resourceVersion is the first page's
    /// (all pages share that snapshot), so a watch can start from it.</summary>
    public static async Task<KubeList<T>> ListAllAsync<T>(this IKubeClient client, ResourceKind kind, ListOptions options,
        int pageSize = KubeClientConstants.DefaultPageSize, CancellationToken ct = default) where T : class
    {
        var items = new List<T>();
        var page = options with { Limit = options.Limit > 0 ? options.Limit : pageSize, Continue = options.Continue };
        KubeList<T>? first = null;
        while (true)
        {
            var list = await client.ListAsync<T>(kind, page, ct);
            first ??= list;
            items.AddRange(list.Items);
            var next = list.Metadata?.Continue;
            if (string.IsNullOrEmpty(next)) break;
            page = page with { Continue = next };
        }
        return first with { Items = items, Metadata = (first.Metadata ?? new ListMeta()) with { Continue = null, RemainingItemCount = null } };
    }

    public static Task<Node> GetNodeAsync(this IKubeClient client, string name, CancellationToken ct = default) =>
        client.GetAsync<Node>(ResourceKind.Nodes, null, name, ct);

    public static async Task<IReadOnlyList<Node>> ListNodesAsync(this IKubeClient client, string? labelSelector = null, CancellationToken ct = default) =>
        (await client.ListAllAsync<Node>(ResourceKind.Nodes, new ListOptions { LabelSelector = labelSelector }, ct: ct)).Items;

    /// <summary>What kubectl drain lists: all pods bound to the node, every namespace, 500 per page.</summary>
    public static async Task<IReadOnlyList<Pod>> ListPodsOnNodeAsync(this IKubeClient client, string nodeName, CancellationToken ct = default) =>
        (await client.ListAllAsync<Pod>(ResourceKind.Pods, new ListOptions { FieldSelector = $"spec.nodeName={nodeName}" }, ct: ct)).Items;

    public static async Task<IReadOnlyList<Pod>> ListPodsAsync(this IKubeClient client, string? ns = null, string? labelSelector = null, CancellationToken ct = default) =>
        (await client.ListAllAsync<Pod>(ResourceKind.Pods, new ListOptions { Namespace = ns, LabelSelector = labelSelector }, ct: ct)).Items;

    public static async Task<IReadOnlyList<PodDisruptionBudget>> ListPodDisruptionBudgetsAsync(this IKubeClient client, string? ns = null, CancellationToken ct = default) =>
        (await client.ListAllAsync<PodDisruptionBudget>(ResourceKind.PodDisruptionBudgets, new ListOptions { Namespace = ns }, ct: ct)).Items;

    public static Task<Pod> GetPodAsync(this IKubeClient client, string ns, string name, CancellationToken ct = default) =>
        client.GetAsync<Pod>(ResourceKind.Pods, ns, name, ct);

    /// <summary>Null when the object does not exist (404), instead of an exception.</summary>
    public static async Task<T?> TryGetAsync<T>(this IKubeClient client, ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class
    {
        try { return await client.GetAsync<T>(kind, ns, name, ct); }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    /// <summary>Cordon/uncordon as kubectl does it: a strategic-merge patch of spec.unschedulable (null removes it).</summary>
    public static Task<Node> PatchNodeUnschedulableAsync(this IKubeClient client, string name, bool unschedulable, DryRun dryRun = DryRun.None, CancellationToken ct = default) =>
        client.PatchAsync<Node>(ResourceKind.Nodes, null, name, PatchType.StrategicMerge,
            unschedulable ? """{"spec":{"unschedulable":true}}""" : """{"spec":{"unschedulable":null}}""", dryRun, ct);

    /// <summary>Sets (or, with a null value, removes) one annotation by JSON merge patch.</summary>
    public static Task<T> PatchAnnotationAsync<T>(this IKubeClient client, ResourceKind kind, string? ns, string name, string key, string? value, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class
    {
        var k = System.Text.Json.JsonEncodedText.Encode(key).ToString();
        var v = value is null ? "null" : "\"" + System.Text.Json.JsonEncodedText.Encode(value) + "\"";
        return client.PatchAsync<T>(kind, ns, name, PatchType.Merge, "{\"metadata\":{\"annotations\":{\"" + k + "\":" + v + "}}}", dryRun, ct);
    }

    /// <summary>Deletes a pod with an optional grace period and UID precondition (so a replacement with the same name is safe).</summary>
    public static Task DeletePodAsync(this IKubeClient client, string ns, string name, long? gracePeriodSeconds = null, string? uid = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) =>
        client.DeleteAsync(ResourceKind.Pods, ns, name, new DeleteOptions
        {
            GracePeriodSeconds = gracePeriodSeconds,
            Preconditions = uid is null ? null : new Preconditions { Uid = uid },
        }, dryRun, ct);

    /// <summary>Evicts a pod (policy/v1), with an optional grace period and UID precondition.</summary>
    public static Task EvictPodAsync(this IKubeClient client, string ns, string name, long? gracePeriodSeconds = null, string? uid = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) =>
        client.EvictAsync(ns, name, gracePeriodSeconds is null && uid is null ? null : new DeleteOptions
        {
            GracePeriodSeconds = gracePeriodSeconds,
            Preconditions = uid is null ? null : new Preconditions { Uid = uid },
        }, dryRun, ct);
}
