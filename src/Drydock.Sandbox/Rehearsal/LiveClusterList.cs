using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// Reads a live cluster into the same Kubernetes List a snapshot file holds (what
/// <c>kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb -A -o json</c> plus kube-system/kubeadm-config prints), so a
/// rehearsal of a live cluster and of its snapshot are the same thing. Lists are paged, 500 per page.
/// </summary>
public static class LiveClusterList
{
    public static async Task<string> ReadAsync(IKubeClient client, CancellationToken ct)
    {
        var items = new JsonArray();
        await Add<Node>(client, ResourceKind.Nodes, items, ct);
        await Add<Deployment>(client, ResourceKind.Deployments, items, ct);
        await Add<ReplicaSet>(client, ResourceKind.ReplicaSets, items, ct);
        await Add<StatefulSet>(client, ResourceKind.StatefulSets, items, ct);
        await Add<DaemonSet>(client, ResourceKind.DaemonSets, items, ct);
        await Add<Job>(client, ResourceKind.Jobs, items, ct);
        await Add<PodDisruptionBudget>(client, ResourceKind.PodDisruptionBudgets, items, ct);
        await Add<Pod>(client, ResourceKind.Pods, items, ct);
        try
        {
            var cm = await client.GetAsync<ConfigMap>(ResourceKind.ConfigMaps, "kube-system", "kubeadm-config", ct);
            items.Add(Item(cm, ResourceKind.ConfigMaps));
        }
        catch (KubeApiException e) when (e.Code == 404) { /* not kubeadm-managed: the version comes from the static pods */ }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString();
    }

    private static async Task Add<T>(IKubeClient client, ResourceKind kind, JsonArray items, CancellationToken ct) where T : class
    {
        string? next = null;
        do
        {
            var page = await client.ListAsync<T>(kind, new ListOptions { Limit = 500, Continue = next }, ct);
            foreach (var o in page.Items) items.Add(Item(o, kind));
            next = page.Metadata?.Continue is { Length: > 0 } c ? c : null;
        } while (next is not null);
    }

    private static JsonObject Item<T>(T obj, ResourceKind kind)
    {
        var node = (JsonObject)JsonNode.Parse(KubeJson.Serialize(obj))!;
        node["apiVersion"] = kind.GroupVersion;
        node["kind"] = kind.Kind;
        return node;
    }
}
