using System.Text.Json;
using Drydock.Common;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Planning.Inventory;

/// <summary>
/// Reads a snapshot file: a Kubernetes List as <c>kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json</c>
/// prints it. Kinds Drydock does not model are kept only as API usage (for the removed-API check).
/// Bad files are a <see cref="UsageError"/> naming the file and the problem.
/// </summary>
public static class SnapshotLoader
{
    public static ClusterSnapshot LoadFile(string path)
    {
        Stream stream;
        try { stream = File.OpenRead(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DrydockException(new UsageError($"cannot read snapshot {path}: no such file"), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DrydockException(new UsageError($"cannot read snapshot {path}: {e.Message}"), e);
        }
        using (stream) return Load(stream, $"snapshot {path}", path);
    }

    public static ClusterSnapshot Load(Stream json, string source, string? nameForErrors = null)
    {
        var name = nameForErrors ?? source;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException e)
        {
            throw new DrydockException(new UsageError($"cannot read snapshot {name}: not JSON ({e.Message}); expected the output of 'kubectl get nodes,pods,deploy,rs,sts,ds,jobs,pdb,cm -A -o json'"), e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
                throw new DrydockException(new UsageError($"cannot read snapshot {name}: expected a Kubernetes List with \"items\" (kubectl get … -A -o json)"));
            try { return SnapshotBuilder.Build(Read(items), source); }
            catch (JsonException e)
            {
                throw new DrydockException(new UsageError($"cannot read snapshot {name}: {e.Message}"), e);
            }
        }
    }

    private static KubeObjectSet Read(JsonElement items)
    {
        List<Node> nodes = []; List<Pod> pods = []; List<PodDisruptionBudget> pdbs = [];
        List<Deployment> deployments = []; List<ReplicaSet> replicaSets = []; List<StatefulSet> statefulSets = [];
        List<DaemonSet> daemonSets = []; List<Job> jobs = []; List<ReplicationController> rcs = []; List<ConfigMap> configMaps = [];
        List<ObjectApiVersion> apiVersions = [];
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object) throw new JsonException($"item {index} is not an object");
            var kind = item.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
            var apiVersion = item.TryGetProperty("apiVersion", out var a) ? a.GetString() ?? "" : "";
            IKubeObject? obj = kind switch
            {
                "Node" => Add(nodes, item),
                "Pod" => Add(pods, item),
                "PodDisruptionBudget" when apiVersion == "policy/v1" => Add(pdbs, item),
                "Deployment" when apiVersion == "apps/v1" => Add(deployments, item),
                "ReplicaSet" when apiVersion == "apps/v1" => Add(replicaSets, item),
                "StatefulSet" when apiVersion == "apps/v1" => Add(statefulSets, item),
                "DaemonSet" when apiVersion == "apps/v1" => Add(daemonSets, item),
                "Job" => Add(jobs, item),
                "ReplicationController" => Add(rcs, item),
                "ConfigMap" => Add(configMaps, item),
                _ => null,
            };
            var meta = obj?.Metadata;
            string? lastApplied;
            string objName;
            if (meta is not null)
            {
                lastApplied = SnapshotBuilder.LastAppliedApiVersion(meta.Annotations);
                objName = meta.Namespace is null ? meta.Name ?? "" : $"{meta.Namespace}/{meta.Name}";
            }
            else
            {
                var m = item.TryGetProperty("metadata", out var me) && me.ValueKind == JsonValueKind.Object ? KubeJson.Deserialize<ObjectMeta>(me) : new ObjectMeta();
                lastApplied = SnapshotBuilder.LastAppliedApiVersion(m.Annotations);
                objName = m.Namespace is null ? m.Name ?? "" : $"{m.Namespace}/{m.Name}";
            }
            apiVersions.Add(new ObjectApiVersion(apiVersion, kind, objName, lastApplied));
        }
        return new KubeObjectSet
        {
            Nodes = nodes, Pods = pods, Pdbs = pdbs, Deployments = deployments, ReplicaSets = replicaSets,
            StatefulSets = statefulSets, DaemonSets = daemonSets, Jobs = jobs, ReplicationControllers = rcs,
            ConfigMaps = configMaps, ApiVersions = apiVersions,
        };

        static T Add<T>(List<T> list, JsonElement e) where T : class
        {
            var o = KubeJson.Deserialize<T>(e);
            list.Add(o);
            return o;
        }
    }
}
