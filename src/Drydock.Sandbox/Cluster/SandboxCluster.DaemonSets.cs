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

    /// <summary>DaemonSet uid → its pods by node (see <see cref="DaemonSetNodes"/>).</summary>
    private readonly Dictionary<string, DaemonSetNodes> _daemonSetNodes = new(StringComparer.Ordinal);

    /// <summary>The DaemonSet's per-node view, rebuilt from its pods when first met or when its generation moved on.</summary>
    private DaemonSetNodes NodesOf(JsonObject ds, JsonObject templateSpec)
    {
        var generation = ds.O("metadata").L("generation") ?? 1;
        if (_daemonSetNodes.TryGetValue(ds.Uid(), out var view) && view.Generation == generation) return view;
        return _daemonSetNodes[ds.Uid()] = new DaemonSetNodes(generation, Images(templateSpec), OwnedPods(ds));
    }

    /// <summary>Keeps the DaemonSet views in step with a committed pod change.</summary>
    private void TrackDaemonSetPod(StoreChange c, JsonObject? controllerRef)
    {
        if (controllerRef?.S("kind") != "DaemonSet" || !_daemonSetNodes.TryGetValue(controllerRef.S("uid") ?? "", out var view)) return;
        view.Apply(c.Previous, c.Type == "DELETED" ? null : c.Object);
    }

    /// <summary>A node changed in a way the DaemonSet controller decides on: every DaemonSet looks at it again.</summary>
    private void MarkDaemonSetNode(string node)
    {
        foreach (var view in _daemonSetNodes.Values) view.MarkDirty(node);
    }

    /// <summary>Looks at the nodes whose pods or node object changed since the last pass (every node after a rebuild):
    /// deletes pods from nodes no longer eligible, creates one where an eligible node has none.</summary>
    private void ReconcileDaemonSet(JsonObject ds)
    {
        var spec = ds.Spec().O("template")?.O("spec") ?? new JsonObject();
        var tolerations = (spec.A("tolerations") ?? []).OfType<JsonObject>().ToList();
        var view = NodesOf(ds, spec);
        foreach (var nodeName in view.TakeDirty(() => Store.All(ServedResource.Nodes).Select(n => n.Name())))
        {
            var node = Store.Get(ServedResource.Nodes, null, nodeName);
            var eligible = node is not null && DaemonSetEligible(spec, tolerations, node);
            var on = view.On(nodeName);
            view.Counted(nodeName, eligible, eligible && on is { Active: > 0 } ? on.ReadyActive : 0);
            if (node is null) continue; // pods of a deleted node go with it
            if (!eligible)
            {
                foreach (var name in on?.Pods.ToList() ?? [])
                    if (Store.Get(ServedResource.Pods, ds.Ns(), name) is { } p && Active(p))
                        DeletePod(p, null, "daemonset-controller", evictionChecked: true);
                continue;
            }
            if (on is { Active: > 0 } or { Terminating: > 0 }) continue;
            CreateDaemonSetPod(ds, nodeName);
        }
        RollOneOutdatedPod(ds, view);
        var (scheduled, desired, ready) = (view.Active, view.Desired, view.Ready);
        var generation = ds.O("metadata").L("generation") ?? 1;
        if (StatusIs(ds, ("currentNumberScheduled", scheduled), ("numberMisscheduled", 0), ("desiredNumberScheduled", desired),
                ("numberReady", ready), ("observedGeneration", generation), ("updatedNumberScheduled", scheduled),
                ("numberAvailable", ready), ("numberUnavailable", desired - ready > 0 ? desired - ready : null)))
            return;
        ReplaceWith(ServedResource.DaemonSets, ds, d =>
        {
            var s = d.Own("status");
            s["currentNumberScheduled"] = scheduled;
            s["numberMisscheduled"] = 0;
            s["desiredNumberScheduled"] = desired;
            s["numberReady"] = ready;
            s["observedGeneration"] = generation;
            s["updatedNumberScheduled"] = scheduled;
            s["numberAvailable"] = ready;
            if (desired - ready > 0) s["numberUnavailable"] = desired - ready; else s.Remove("numberUnavailable");
        }, statusOnly: true);
    }

    private void CreateDaemonSetPod(JsonObject ds, string nodeName) =>
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

    /// <summary>RollingUpdate with maxUnavailable 1: when every pod is ready, replace one whose images differ from
    /// the template (kubeadm's kube-proxy upgrade rolls through the nodes this way). The view's counts answer
    /// "anything terminating, unready or outdated?" and it knows which pods are outdated, so picking the first
    /// outdated pod in owner order reads no pod's containers (a roll over 5,000 nodes would otherwise re-read the
    /// growing run of already replaced pods at every step).</summary>
    private void RollOneOutdatedPod(JsonObject ds, DaemonSetNodes view)
    {
        if (ds.Spec().O("updateStrategy").S("type") == "OnDelete") return;
        if (view.Terminating > 0 || view.ActiveUnready > 0 || view.Outdated == 0) return;
        foreach (var (_, pod) in Store.OwnedBy(ds.Uid()))
            if (view.IsOutdated(pod))
            {
                DeletePod(pod, null, "daemonset-controller", evictionChecked: true);
                return;
            }
    }

    /// <summary>A pod template's or pod's containers as <c>name=image,…</c> (what a DaemonSet roll compares).</summary>
    internal static string Images(JsonObject? podSpec) =>
        string.Join(',', (podSpec.A("containers") ?? []).OfType<JsonObject>().Select(c => $"{c.S("name")}={c.S("image")}"));

    /// <summary><c>Images(podSpec) == want</c>, without building the string (asked for every DaemonSet pod change).</summary>
    internal static bool ImagesAre(JsonObject? podSpec, string want)
    {
        var at = 0;
        var first = true;
        if (podSpec.A("containers") is { } containers)
            for (var i = 0; i < containers.Count; i++)
            {
                if (containers[i] is not JsonObject c) continue;
                if (!first && !Next(",")) return false;
                first = false;
                if (!Next(c.S("name") ?? "") || !Next("=") || !Next(c.S("image") ?? "")) return false;
            }
        return at == want.Length;

        bool Next(string part)
        {
            if (!want.AsSpan(at).StartsWith(part, StringComparison.Ordinal)) return false;
            at += part.Length;
            return true;
        }
    }

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
