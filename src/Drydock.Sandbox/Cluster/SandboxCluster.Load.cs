using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>Loading a Kubernetes List (what <c>kubectl get ... -A -o json</c> prints) and saving the state back.</summary>
public sealed partial class SandboxCluster
{
    /// <summary>Loads every item of a v1 List, keeping uid/creationTimestamp/status; namespaces that items use are
    /// created when the list has none. Kinds the sandbox does not serve are skipped and returned.</summary>
    public IReadOnlyList<string> LoadList(string listJson)
    {
        // Objects whose strings are plain values (MaterializedJson): a string viewed in the parsed List decodes its
        // UTF-8 on every read, and nodes, budgets and workloads are read on every change of their pods.
        var objects = ParseList(listJson);
        var skipped = new List<string>();
        lock (Store.Gate)
        {
            foreach (var ns in objects.Select(o => o.Ns()).OfType<string>().Distinct(StringComparer.Ordinal))
                EnsureNamespace(ns);
            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" }) EnsureNamespace(ns);
            _loading = true;
            try { CreateAll(objects, skipped); }
            finally { _loading = false; }
            foreach (var pdb in Store.All(ServedResource.Pdbs)) { _dirtyPdbs.Add(pdb.Uid()); _pdbMembers.Remove(pdb.Uid()); }
            ApiServerVersion = DetectVersion() ?? ApiServerVersion;
            _settling = true;
            try
            {
                OnLoaded();
                RunDue();
            }
            finally { _settling = false; }
        }
        return skipped;
    }

    private static List<JsonObject> ParseList(string listJson)
    {
        using var document = JsonDocument.Parse(listJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the state file is not a JSON object");
        if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            return items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => (JsonObject)MaterializedJson.FromElement(i)!).ToList();
        if (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && !kind.GetString()!.EndsWith("List", StringComparison.Ordinal))
            return [(JsonObject)MaterializedJson.FromElement(root)!];
        throw new FormatException("the state file has no \"items\": expected a Kubernetes List (kubectl get ... -A -o json)");
    }

    private bool _loading;

    /// <summary>Set while a load brings the cluster to steady state (its first controller pass, then <see cref="Settle"/>):
    /// the scheduler starts the pods it binds at once, as Settle would right after.</summary>
    private bool _settling;

    private void CreateAll(List<JsonObject> objects, List<string> skipped)
    {
        // Owners before dependents keeps the indexes simple; nodes first so kubelets see their pods bound.
        var order = new[] { "Namespace", "Node", "ConfigMap", "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet", "PodDisruptionBudget", "Pod" };
        foreach (var obj in objects.OrderBy(o => Array.IndexOf(order, o.S("kind")) is var i && i < 0 ? order.Length : i))
        {
            var r = ServedResource.ForKind(obj.S("kind") ?? "");
            if (r is null) { skipped.Add($"{obj.S("kind")}/{obj.Name()}"); continue; }
            if (r == ServedResource.Namespaces && Store.Get(r, null, obj.Name()) is not null) continue;
            obj.Meta().Remove("resourceVersion");
            if (r == ServedResource.Pods && obj.Status().S("phase") is null) DefaultPod(obj);
            Store.Create(r, obj, keepMetadata: true);
        }
    }

    /// <summary>Brings a freshly loaded cluster to steady state at once: bound Pending pods start now instead of
    /// after <see cref="SandboxOptions.PodStartDelay"/> (StatefulSets take one round per ordinal).</summary>
    public void Settle()
    {
        lock (Store.Gate)
        {
            _settling = true;
            try { SettleRounds(); }
            finally { _settling = false; }
        }
    }

    private void SettleRounds()
    {
        for (var round = 0; round < 100; round++)
        {
            RunDue();
            var pending = Store.All(ServedResource.Pods).Where(p => p.Status().S("phase") == "Pending" && !p.IsTerminating()
                && !string.IsNullOrEmpty(p.Spec().S("nodeName")) && KubeletUp(p.Spec().S("nodeName")!)).ToList();
            if (pending.Count == 0) break;
            foreach (var p in pending) StartPod(p.Ns(), p.Name(), p.Uid());
        }
        RunDue();
    }

    internal void EnsureNamespace(string ns)
    {
        if (Store.Get(ServedResource.Namespaces, null, ns) is not null) return;
        Store.Create(ServedResource.Namespaces, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        });
    }

    /// <summary>The whole state as a v1 List (namespaces excluded unless asked), loadable again with <see cref="LoadList"/>.</summary>
    public string SaveList(bool includeNamespaces = false)
    {
        lock (Store.Gate)
        {
            WriteHeldStatus(ServedResource.ReplicaSets);
            var items = new JsonArray();
            foreach (var r in ServedResource.All.Where(r => includeNamespaces || r != ServedResource.Namespaces))
                foreach (var o in Store.All(r)) items.Add(o.DeepClone());
            return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "" }, ["items"] = items }
                .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        }
    }

    /// <summary>kube-apiserver's version: the oldest kube-apiserver mirror pod image, else kubeadm-config, else kubelets.</summary>
    private string? DetectVersion()
    {
        var apiservers = Store.All(ServedResource.Pods, "kube-system")
            .Where(p => p.Labels().GetValueOrDefault("component") == "kube-apiserver")
            .Select(p => (p.Spec().A("containers")?.OfType<JsonObject>().FirstOrDefault()?.S("image") ?? "").Split(':').LastOrDefault())
            .Where(v => v is { Length: > 1 } && v[0] == 'v').OfType<string>().ToList();
        if (apiservers.Count > 0) return apiservers.OrderBy(v => Kubeadm.KubeVersion.Parse(v)).First();
        if (ClusterConfigVersion() is { } cc) return cc;
        return Store.All(ServedResource.Nodes).Select(n => n.Status().O("nodeInfo").S("kubeletVersion")).OfType<string>()
            .OrderByDescending(v => Kubeadm.KubeVersion.Parse(v)).FirstOrDefault();
    }
}
