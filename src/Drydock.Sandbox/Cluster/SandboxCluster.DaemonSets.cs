using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>DaemonSet (one pod per eligible node, bound directly with the tolerations the real controller adds,
/// so cordoned nodes keep theirs) and Job (run pods until completions succeed).</summary>
public sealed partial class SandboxCluster
{
    private static readonly (string Key, string Effect)[] DaemonSetTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    private void ReconcileDaemonSet(JsonObject ds)
    {
        var spec = ds.Spec().O("template")?.O("spec") ?? new JsonObject();
        var tolerations = (spec.A("tolerations") ?? []).OfType<JsonObject>().ToList();
        var pods = OwnedPods(ds);
        var byNode = pods.Where(Active).GroupBy(p => p.Spec().S("nodeName") ?? "").ToDictionary(g => g.Key, g => g.ToList());
        int desired = 0, ready = 0;
        foreach (var node in Store.All(ServedResource.Nodes))
        {
            var nodeName = node.Name();
            var eligible = DaemonSetEligible(spec, tolerations, node);
            byNode.TryGetValue(nodeName, out var onNode);
            if (!eligible)
            {
                foreach (var p in onNode ?? []) DeletePod(p, null, "daemonset-controller", evictionChecked: true);
                continue;
            }
            desired++;
            if (onNode is { Count: > 0 }) { ready += onNode.Count(PodReady); continue; }
            if (pods.Any(p => p.Spec().S("nodeName") == nodeName && p.IsTerminating())) continue;
            PodFromTemplate(ds, null, ds.Name() + "-", p =>
            {
                var ps = p.Ensure("spec");
                ps["nodeName"] = nodeName;
                var tols = ps.A("tolerations") ?? (JsonArray)(ps["tolerations"] = new JsonArray());
                foreach (var (key, effect) in DaemonSetTolerations)
                    if (!tols.OfType<JsonObject>().Any(t => t.S("key") == key && t.S("effect") == effect))
                        tols.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect });
                ps["affinity"] = new JsonObject
                {
                    ["nodeAffinity"] = new JsonObject
                    {
                        ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                        {
                            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                            {
                                ["matchFields"] = new JsonArray(new JsonObject { ["key"] = "metadata.name", ["operator"] = "In", ["values"] = new JsonArray(nodeName) }),
                            }),
                        },
                    },
                };
            });
        }
        RollOneOutdatedPod(ds, spec);
        var scheduled = OwnedPods(ds).Count(Active);
        var generation = ds.O("metadata").L("generation") ?? 1;
        Store.Mutate(ServedResource.DaemonSets, ds.Ns(), ds.Name(), d =>
        {
            var s = d.Ensure("status");
            s["currentNumberScheduled"] = scheduled;
            s["numberMisscheduled"] = 0;
            s["desiredNumberScheduled"] = desired;
            s["numberReady"] = ready;
            s["observedGeneration"] = generation;
            s["updatedNumberScheduled"] = scheduled;
            s["numberAvailable"] = ready;
            if (desired - ready > 0) s["numberUnavailable"] = desired - ready; else s.Remove("numberUnavailable");
        });
    }

    /// <summary>RollingUpdate with maxUnavailable 1: when every pod is ready, replace one whose images differ from
    /// the template (kubeadm's kube-proxy upgrade rolls through the nodes this way).</summary>
    private void RollOneOutdatedPod(JsonObject ds, JsonObject templateSpec)
    {
        if (ds.Spec().O("updateStrategy").S("type") == "OnDelete") return;
        var want = Images(templateSpec);
        var pods = OwnedPods(ds);
        if (pods.Any(p => p.IsTerminating() || (Active(p) && !PodReady(p)))) return;
        var outdated = pods.FirstOrDefault(p => Active(p) && Images(p.Spec()) != want);
        if (outdated is not null) DeletePod(outdated, null, "daemonset-controller", evictionChecked: true);
    }

    private static string Images(JsonObject? podSpec) =>
        string.Join(',', (podSpec.A("containers") ?? []).OfType<JsonObject>().Select(c => $"{c.S("name")}={c.S("image")}"));

    private static bool DaemonSetEligible(JsonObject podSpec, List<JsonObject> tolerations, JsonObject node)
    {
        var labels = node.Labels();
        foreach (var (k, v) in podSpec.O("nodeSelector").StringMap())
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        foreach (var taint in (node.Spec().A("taints") ?? []).OfType<JsonObject>().Where(t => t.S("effect") is "NoSchedule" or "NoExecute"))
            if (!tolerations.Any(t => Tolerates(t, taint)) && !DaemonSetTolerations.Any(d => d.Key == taint.S("key"))) return false;
        return true;
    }

    private void ReconcileJob(JsonObject job)
    {
        var completions = (int)(job.Spec().L("completions") ?? 1);
        var parallelism = (int)(job.Spec().L("parallelism") ?? 1);
        var pods = OwnedPods(job);
        var succeeded = pods.Count(p => p.Status().S("phase") == "Succeeded");
        var failed = pods.Count(p => p.Status().S("phase") == "Failed");
        var active = pods.Count(Active);
        var complete = job.Status().S("completionTime") is not null;
        if (!complete)
            for (var i = active; i < Math.Min(parallelism, completions - succeeded); i++)
            {
                PodFromTemplate(job, null, job.Name() + "-", p => p.Meta().Ensure("labels")["job-name"] = job.Name());
                active++;
            }
        var now = Obj.Time(Time.GetUtcNow());
        Store.Mutate(ServedResource.Jobs, job.Ns(), job.Name(), j =>
        {
            var s = j.Ensure("status");
            s["startTime"] ??= now;
            if (active > 0) s["active"] = active; else s.Remove("active");
            if (succeeded > 0) s["succeeded"] = succeeded;
            if (failed > 0) s["failed"] = failed;
            if (succeeded >= completions && s["completionTime"] is null) s["completionTime"] = now;
        });
    }

    private void CompleteJobPod(string? ns, string name, string uid)
    {
        var pod = Store.Get(ServedResource.Pods, ns, name);
        if (pod is null || pod.Uid() != uid || pod.IsTerminating() || pod.Status().S("phase") != "Running") return;
        Store.Mutate(ServedResource.Pods, ns, name, p =>
        {
            var st = p.Ensure("status");
            st["phase"] = "Succeeded";
            foreach (var c in (st.A("conditions") ?? []).OfType<JsonObject>().Where(c => c.S("type") is "Ready" or "ContainersReady"))
            { c["status"] = "False"; c["reason"] = "PodCompleted"; }
            foreach (var c in (st.A("containerStatuses") ?? []).OfType<JsonObject>())
            {
                c["ready"] = false;
                c["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed" } };
            }
        });
    }
}
