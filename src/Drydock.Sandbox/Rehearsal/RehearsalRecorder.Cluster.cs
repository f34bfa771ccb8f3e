using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;
using Drydock.Versions;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>Skew, etcd quorum and unschedulable pods, sampled after every clock jump (incrementally: only what changed).</summary>
internal sealed partial class RehearsalRecorder
{
    private readonly Dictionary<string, string> _kubelets = new(StringComparer.Ordinal);
    private readonly KubeletVersionCensus _kubeletCensus = new();
    private readonly Dictionary<(string Node, Component Component), string> _controlPlane = [];
    private readonly Dictionary<string, bool> _etcdUp = new(StringComparer.Ordinal);
    private readonly List<TimedFinding> _skew = [];
    private readonly HashSet<string> _skewSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TimeSpan Start, TimeSpan? End, string Reason)> _unschedulable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal); // keys of _unschedulable still pending
    private bool _versionsDirty = true;
    private int _minEtcdUp = int.MaxValue;
    private TimeSpan? _minEtcdAt;

    private void SeedVersions()
    {
        lock (_cluster.Store.Gate)
        {
            foreach (var n in _cluster.Store.All(ServedResource.Nodes)) SetKubelet(n.Name(), n.Status().O("nodeInfo").S("kubeletVersion") ?? "");
            foreach (var p in _cluster.Store.All(ServedResource.Pods, "kube-system")) Observe(p, deleted: false);
        }
    }

    private void OnNodeChanged(StoreChange c)
    {
        var name = c.Last.Name();
        var v = c.Type == "DELETED" ? null : c.Last.Status().O("nodeInfo").S("kubeletVersion");
        if (v is null)
        {
            if (_kubelets.Remove(name, out var gone)) { _kubeletCensus.Remove(gone); _versionsDirty = true; }
            return;
        }
        if (!_kubelets.TryGetValue(name, out var old) || old != v) { SetKubelet(name, v); _versionsDirty = true; }
    }

    private void SetKubelet(string node, string version)
    {
        if (_kubelets.TryGetValue(node, out var old)) _kubeletCensus.Remove(old);
        _kubelets[node] = version;
        _kubeletCensus.Add(version);
    }

    private void OnSystemPodChanged(StoreChange c) => Observe(c.Last, c.Type == "DELETED");

    private void Observe(JsonObject pod, bool deleted)
    {
        var component = pod.Labels().GetValueOrDefault("component");
        var node = pod.Spec().S("nodeName");
        if (component is null || node is null) return;
        if (component == "etcd")
        {
            _etcdUp[node] = !deleted && Ready(pod);
            return;
        }
        Component? c = component switch
        {
            "kube-apiserver" => Component.KubeApiserver,
            "kube-controller-manager" => Component.KubeControllerManager,
            "kube-scheduler" => Component.KubeScheduler,
            _ => null,
        };
        if (c is null) return;
        var tag = (pod.Spec().A("containers")?.OfType<JsonObject>().FirstOrDefault()?.S("image") ?? "").Split(':').LastOrDefault() ?? "";
        if (deleted) _controlPlane.Remove((node, c.Value));
        else _controlPlane[(node, c.Value)] = tag;
        _versionsDirty = true;
    }

    private static bool Ready(JsonObject pod) =>
        pod.Status().A("conditions")?.OfType<JsonObject>().Any(c => c.S("type") == "Ready" && c.S("status") == "True") == true && !pod.IsTerminating();

    /// <summary>Called by the driver after each jump.</summary>
    public void Sample(DateTimeOffset now)
    {
        using var perf = Diagnostics.Perf.Measure("recorder sample");
        var at = Offset(now);
        if (_etcdUp.Count > 0)
        {
            var up = _etcdUp.Values.Count(v => v);
            if (up < _minEtcdUp) { _minEtcdUp = up; _minEtcdAt = at; }
        }
        if (_versionsDirty) { _versionsDirty = false; CheckSkew(at); }
        SampleUnschedulable(at);
    }

    private void CheckSkew(TimeSpan at)
    {
        // One instance per (component, version) is enough for the policy's pairwise rules and keeps 5,000 kubelets cheap.
        var instances = new Dictionary<(Component, KubeVersion), ComponentInstance>();
        void Add(Component c, string text, string node)
        {
            if (_kubeletCensus.Parse(text) is not { } v) return;
            instances.TryAdd((c, v), new ComponentInstance(c, v, node));
        }
        foreach (var ((node, c), v) in _controlPlane) Add(c, v, node);
        // The first kubelet (in the table's order) of each distinct version text is the one the policy sees; the
        // walk ends once every distinct text has been met, instead of parsing all 5,000 kubelets on every change.
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, v) in _kubelets)
        {
            if (texts.Add(v)) Add(Component.Kubelet, v, node);
            if (texts.Count == _kubeletCensus.DistinctTexts) break;
        }
        foreach (var violation in SkewPolicy.Check(new ClusterVersions(instances.Values)))
            if (_skewSeen.Add(violation.Message)) _skew.Add(new TimedFinding(at, violation.Message));
    }

    /// <summary>Pods whose "pending and unbound" state may have changed since the last sample (every pod change that
    /// involves an unbound version), so a sample costs what changed, not every pending pod of a 150,000-pod cluster.</summary>
    private readonly HashSet<string> _unboundDirty = new(StringComparer.Ordinal);

    private void SeedUnbound()
    {
        lock (_cluster.Store.Gate)
            foreach (var p in _cluster.Store.UnscheduledPods()) _unboundDirty.Add($"{p.Ns()}/{p.Name()}");
    }

    private void OnPodChanged(StoreChange c)
    {
        if (string.IsNullOrEmpty(c.Last.Spec().S("nodeName")) || (c.Previous is not null && string.IsNullOrEmpty(c.Previous.Spec().S("nodeName"))))
            _unboundDirty.Add($"{c.Last.Ns()}/{c.Last.Name()}");
    }

    private void SampleUnschedulable(TimeSpan at)
    {
        if (_unboundDirty.Count == 0) return;
        var explained = new Dictionary<string, string>(StringComparer.Ordinal); // one explanation per scheduling shape per sample
        lock (_cluster.Store.Gate)
        {
            foreach (var key in _unboundDirty)
            {
                var slash = key.IndexOf('/');
                var p = _cluster.Store.Get(ServedResource.Pods, key[..slash], key[(slash + 1)..]);
                var pending = p is not null && string.IsNullOrEmpty(p.Spec().S("nodeName")) && !p.IsTerminating()
                    && p.Status().S("phase") is not ("Succeeded" or "Failed");
                if (pending)
                {
                    if (_open.Contains(key)) continue;
                    var shape = _cluster.SchedulingShapeKey(p!);
                    if (!explained.TryGetValue(shape, out var reason)) explained[shape] = reason = UnschedulableReason.Explain(_cluster, p!);
                    _unschedulable[key] = (at, null, reason);
                    _open.Add(key);
                }
                else if (_open.Remove(key)) _unschedulable[key] = _unschedulable[key] with { End = at };
            }
            _unboundDirty.Clear();
        }
    }

    public IReadOnlyList<TimedFinding> SkewViolations => _skew;

    public QuorumSummary Quorum()
    {
        var members = _etcdUp.Count;
        var min = _minEtcdUp == int.MaxValue ? members : _minEtcdUp;
        return new QuorumSummary(members, min, _minEtcdAt, members == 0 || min >= members / 2 + 1);
    }

    public IReadOnlyList<UnschedulablePod> Unschedulable => _unschedulable
        .OrderBy(kv => kv.Value.Start).ThenBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => new UnschedulablePod(kv.Key, kv.Value.Start, kv.Value.End, kv.Value.Reason)).ToList();
}
