using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The simulated kubelets: start bound pods after a delay, finish graceful termination after the grace
/// period, keep the node's Ready condition (NotReady while the kubelet restarts or the node reboots).</summary>
public sealed partial class SandboxCluster
{
    private readonly HashSet<string> _kubeletDown = new(StringComparer.Ordinal);

    internal static bool NodeReady(JsonObject node) => HasReadyCondition(node);

    internal static bool PodReady(JsonObject pod) => HasReadyCondition(pod);

    /// <summary>status.conditions holds Ready=True. An indexed loop comparing in place (no enumerator, no strings read
    /// out of parsed JSON): controllers ask this for every pod they count.</summary>
    private static bool HasReadyCondition(JsonObject obj)
    {
        if (obj.Status().A("conditions") is not { } conditions) return false;
        for (var i = 0; i < conditions.Count; i++)
            if (conditions[i] is JsonObject co && co.StringIs("type", "Ready") && co.StringIs("status", "True")) return true;
        return false;
    }

    internal static bool PodFinished(JsonObject pod) => pod.Status().S("phase") is "Succeeded" or "Failed";

    internal bool KubeletUp(string node) => !_kubeletDown.Contains(node);

    private void OnPodBound(JsonObject pod)
    {
        var node = pod.Spec().S("nodeName");
        if (string.IsNullOrEmpty(node) || pod.Status().S("phase") != "Pending" || pod.IsTerminating()) return;
        var (ns, name, uid) = (pod.Ns(), pod.Name(), pod.Uid());
        _due.At(Time.GetUtcNow() + Options.PodStartDelay, () => StartPod(ns, name, uid));
    }

    private void StartPod(string? ns, string name, string uid)
    {
        var pod = Store.Get(ServedResource.Pods, ns, name);
        if (pod is null || pod.Uid() != uid || pod.IsTerminating() || pod.Status().S("phase") != "Pending") return;
        var node = pod.Spec().S("nodeName")!;
        if (!KubeletUp(node)) return; // picked up again when the kubelet comes back
        var now = Obj.Time(Time.GetUtcNow());
        var hostIp = HostIp(node);
        ReplaceWith(ServedResource.Pods, pod, p => WriteRunning(p, p.Own("status", RunningStatusSpare), hostIp, now)); // Pending → Running always changes the pod
        Started(pod);
    }

    /// <summary>Room a pending status (phase, qosClass, conditions) needs for what <see cref="WriteRunning"/> adds:
    /// hostIP, podIP, startTime and containerStatuses, seven in all. A table's size is the next prime of what it is
    /// asked for, so asking for 3 + 6 made it 11 slots for every started pod.</summary>
    private const int RunningStatusSpare = 4;

    /// <summary>What the kubelet reports of a pod it started at <paramref name="now"/>, written into the pod's owned
    /// <paramref name="status"/>.</summary>
    private void WriteRunning(JsonObject pod, JsonObject status, string hostIp, string now)
    {
        var uid = pod.Uid();
        status["phase"] = "Running";
        status["hostIP"] = hostIp;
        status["podIP"] = (pod.Spec().B("hostNetwork") ?? false) ? hostIp : PodIp(uid);
        status["startTime"] = now;
        status["conditions"] = _runningConditions.At(now);
        var statuses = new JsonArray();
        if (pod.Spec().A("containers") is { } containers)
        {
            var containerId = "containerd://" + uid.Replace("-", "", StringComparison.Ordinal);
            for (var i = 0; i < containers.Count; i++)
                if (containers[i] is JsonObject c)
                    // From a collection, whose count sizes the table (an initializer grows it twice on the way to 8).
                    statuses.Add(new JsonObject(
                    [
                        new("name", c.S("name")), new("ready", true), new("restartCount", 0), new("started", true),
                        new("image", c.S("image") ?? ""), new("imageID", ""), new("containerID", containerId),
                        new KeyValuePair<string, JsonNode?>("state", _runningState.At(now)),
                    ]));
        }
        status["containerStatuses"] = statuses;
    }

    /// <summary>After a pod started: a Job's pod completes after <see cref="JobRunTime"/>.</summary>
    private void Started(JsonObject pod)
    {
        if (pod.ControllerRef()?.S("kind") == "Job")
        {
            var (ns, name, uid) = (pod.Ns(), pod.Name(), pod.Uid());
            _due.At(Time.GetUtcNow() + JobRunTime, () => CompleteJobPod(ns, name, uid));
        }
    }

    private static readonly string[] RunningPodConditions = ["Initialized", "Ready", "ContainersReady", "PodScheduled"];

    /// <summary>The conditions of a pod started at a given second.</summary>
    private readonly StampedBySecond<JsonArray> _runningConditions = new(now =>
    {
        var conditions = new JsonArray();
        foreach (var type in RunningPodConditions)
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now });
        return conditions;
    });

    /// <summary>The state of a container started at a given second.</summary>
    private readonly StampedBySecond<JsonObject> _runningState = new(now => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } });

    /// <summary>The hostIP of each node's stored version, read once per version (a load starts 150,000 pods).</summary>
    private readonly Dictionary<string, (JsonObject? Version, string Ip)> _hostIps = new(StringComparer.Ordinal);

    private string HostIp(string node)
    {
        var version = Store.Get(ServedResource.Nodes, null, node);
        if (_hostIps.TryGetValue(node, out var known) && ReferenceEquals(known.Version, version)) return known.Ip;
        var ip = InternalIp(version) ?? "10.0.0.1";
        _hostIps[node] = (version, ip);
        return ip;
    }

    /// <summary>The node's first InternalIP address (what a pod on it reports as hostIP).</summary>
    private static string? InternalIp(JsonObject? node)
    {
        if (node.Status().A("addresses") is not { } addresses) return null;
        for (var i = 0; i < addresses.Count; i++)
            if (addresses[i] is JsonObject a && a.StringIs("type", "InternalIP")) return a.S("address");
        return null;
    }

    private static string PodIp(string uid)
    {
        var h = (uint)uid.GetHashCode(StringComparison.Ordinal);
        return $"10.244.{(h >> 8) % 250 + 1}.{h % 250 + 2}";
    }

    /// <summary>Graceful deletion. Explicit grace wins, else the pod's terminationGracePeriodSeconds; unbound or
    /// finished pods and grace 0 go at once. Records a PDB violation when the pod was healthy, covered, and its
    /// PDB allowed no disruption (unless the eviction path already checked and charged the budget).</summary>
    internal JsonObject? DeletePod(JsonObject pod, long? graceOverride, string via, bool evictionChecked)
    {
        var grace = graceOverride is >= 0 ? graceOverride.Value : pod.Spec().L("terminationGracePeriodSeconds") ?? 30;
        var node = pod.Spec().S("nodeName");
        if (string.IsNullOrEmpty(node) || PodFinished(pod)) grace = 0;
        if (pod.IsTerminating())
        {
            var current = pod.O("metadata").L("deletionGracePeriodSeconds") ?? 0;
            if (grace >= current && grace != 0) return pod;
        }
        else if (!evictionChecked) ChargeDisruption(pod, via);
        var (ns, name, uid) = (pod.Ns(), pod.Name(), pod.Uid());
        if (grace == 0) return Store.Remove(ServedResource.Pods, ns, name);
        var deletionTimestamp = Obj.Time(Time.GetUtcNow() + TimeSpan.FromSeconds(grace));
        void MarkTerminating(JsonObject p) // writes only metadata, which every new version owns
        {
            p.Meta()["deletionTimestamp"] = deletionTimestamp;
            p.Meta()["deletionGracePeriodSeconds"] = grace;
        }
        // A pod not yet terminating always changes; a shorter grace on one already terminating may not.
        var updated = pod.IsTerminating() ? Store.Mutate(ServedResource.Pods, ns, name, MarkTerminating, shared: true) : ReplaceWith(ServedResource.Pods, pod, MarkTerminating, metadataSpare: 2);
        var wait = Options.MaxGracePeriodSeconds is long cap ? Math.Min(cap, grace) : grace;
        _due.At(Time.GetUtcNow() + TimeSpan.FromSeconds(wait), () => FinishTermination(ns, name, uid));
        return updated;
    }

    private void FinishTermination(string? ns, string name, string uid)
    {
        var pod = Store.Get(ServedResource.Pods, ns, name);
        if (pod is null || pod.Uid() != uid || !pod.IsTerminating()) return;
        if (!KubeletUp(pod.Spec().S("nodeName") ?? "")) return; // the kubelet confirms when it is back
        Store.Discard(ServedResource.Pods, ns, name);
    }

    /// <summary>Kubelet stops: node NotReady now, Ready again after <paramref name="downFor"/>, then it catches up
    /// (starts pending pods, finishes terminations). A reboot also restarts every pod on the node.</summary>
    internal void KubeletOutage(string node, TimeSpan downFor, bool reboot, Action? whenBack = null)
    {
        lock (Store.Gate)
        {
            _kubeletDown.Add(node);
            SetNodeReady(node, false, reboot ? "NodeRebooting" : "KubeletNotReady", reboot ? "node is rebooting" : "kubelet is restarting");
            if (reboot)
                foreach (var pod in Store.PodsOnNode(node).Where(p => !PodFinished(p) && !p.IsTerminating() && p.Annotation(MirrorAnnotation) is null))
                {
                    ChargeDisruption(pod, "reboot");
                    Store.Mutate(ServedResource.Pods, pod.Ns(), pod.Name(), p =>
                    {
                        p.Ensure("status")["phase"] = "Pending";
                        p.Status()!.Remove("conditions");
                        p.Status()!.Remove("containerStatuses");
                    });
                }
            _due.At(Time.GetUtcNow() + downFor, () =>
            {
                _kubeletDown.Remove(node);
                SetNodeReady(node, true, "KubeletReady", "kubelet is posting ready status");
                whenBack?.Invoke();
                var now = Time.GetUtcNow();
                foreach (var pod in Store.PodsOnNode(node))
                {
                    var (ns, name, uid) = (pod.Ns(), pod.Name(), pod.Uid());
                    if (pod.IsTerminating()) _due.At(Obj.ParseTime(pod.O("metadata").S("deletionTimestamp")) is { } dt && dt > now ? dt : now, () => FinishTermination(ns, name, uid));
                    else if (pod.Status().S("phase") == "Pending") _due.At(now + Options.PodStartDelay, () => StartPod(ns, name, uid));
                }
            });
        }
    }

    internal void SetNodeReady(string node, bool ready, string reason, string message)
    {
        var now = Obj.Time(Time.GetUtcNow());
        Store.Mutate(ServedResource.Nodes, null, node, n =>
        {
            var status = n.Own("status");
            var conditions = status.OwnArray("conditions") ?? (JsonArray)(status["conditions"] = new JsonArray());
            var at = FindIndex(conditions, x => x.S("type") == "Ready");
            var c = at < 0 ? null : conditions.Own(at);
            if (c is null) { c = new JsonObject { ["type"] = "Ready" }; conditions.Add(c); }
            if (!ready && c.S("status") == "True" || ready && c.S("status") != "True") c["lastTransitionTime"] = now;
            c["status"] = ready ? "True" : "False";
            c["reason"] = reason;
            c["message"] = message;
            c["lastHeartbeatTime"] = now;
        }, shared: true);
    }

    /// <summary>The index of the first object in <paramref name="items"/> that <paramref name="match"/> accepts, or -1.</summary>
    private static int FindIndex(JsonArray items, Func<JsonObject, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i] is JsonObject o && match(o)) return i;
        return -1;
    }

    private void OnNodeDeleted(string node)
    {
        _hostIps.Remove(node);
        foreach (var pod in Store.PodsOnNode(node))
        {
            var (ns, name) = (pod.Ns(), pod.Name());
            _due.At(Time.GetUtcNow(), () => Store.Discard(ServedResource.Pods, ns, name));
        }
    }

    /// <summary>Every running kubelet stamps lastHeartbeatTime on its node's conditions. A node whose stamps already
    /// read "now" is left as it is (no write), as a compare-and-write would; any other node changes, so it is written
    /// without that compare.</summary>
    private void Heartbeat()
    {
        var now = Obj.Time(Time.GetUtcNow());
        foreach (var node in Store.All(ServedResource.Nodes))
            if (KubeletUp(node.Name()) && HeartbeatChanges(node, now))
                ReplaceWith(ServedResource.Nodes, node, n =>
                {
                    if (n.Status().A("conditions") is null) return;
                    var conditions = n.Own("status").OwnArray("conditions")!;
                    for (var i = 0; i < conditions.Count; i++)
                        if (conditions.Own(i) is { } c) c["lastHeartbeatTime"] = now;
                });
        _due.At(Time.GetUtcNow() + Options.NodeHeartbeatInterval, Heartbeat);
    }

    private static bool HeartbeatChanges(JsonObject node, string now)
    {
        if (node.Status().A("conditions") is not { } conditions) return false;
        for (var i = 0; i < conditions.Count; i++)
            if (conditions[i] is JsonObject c && (!c.TryGetPropertyValue("lastHeartbeatTime", out var t) || t is not JsonValue v
                    || !v.TryGetValue<string>(out var s) || s != now))
                return true;
        return false;
    }

    internal const string MirrorAnnotation = "kubernetes.io/config.mirror";
}
