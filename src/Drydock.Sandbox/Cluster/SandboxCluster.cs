using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>
/// The simulated cluster: the object store plus the controllers (scheduler, workload controllers, disruption
/// controller, garbage collector, kubelets) and the simulated kubeadm nodes, all on one <see cref="TimeProvider"/>.
/// Controllers run inside <see cref="RunDue"/>, which a timer on that clock calls every <see cref="SandboxOptions.Tick"/>
/// and every API write calls before answering — so with a <c>ManualTimeProvider</c> the whole cluster runs in
/// virtual time (advance the clock; work due on the way happens in order).
/// </summary>
public sealed partial class SandboxCluster : IDisposable
{
    private readonly DueQueue _due = new();
    private readonly HashSet<string> _dirtyOwners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyPdbs = new(StringComparer.Ordinal);
    private bool _schedulerDirty, _daemonSetsDirty;
    private readonly ITimer _tick;
    private bool _inRunDue;

    public SandboxCluster(TimeProvider? time = null, SandboxOptions? options = null)
    {
        Time = time ?? TimeProvider.System;
        Options = options ?? new SandboxOptions();
        Store = new ObjectStore(Time, Options.Seed, Options.WatchLogCapacity);
        Store.Changed += OnChanged;
        _tick = Time.CreateTimer(_ => RunDue(), null, Options.Tick, Options.Tick);
    }

    public TimeProvider Time { get; }
    public SandboxOptions Options { get; }
    public SandboxStats Stats { get; } = new();
    internal ObjectStore Store { get; }

    /// <summary>The simulated kube-apiserver version served at /version ("v1.27.16").</summary>
    public string ApiServerVersion { get; internal set; } = "v1.27.16";

    /// <summary>An <see cref="Drydock.Kube.IKubeClient"/> straight on this cluster (no HTTP), with the API's semantics.</summary>
    public Drydock.Kube.IKubeClient CreateClient() => new Client.SandboxKubeClient(this);

    /// <summary>Objects of one kind as typed records (copies), e.g. <c>cluster.Objects&lt;Pod&gt;()</c> — the in-process
    /// client's copies (the serializer's reading, made once per stored version), without counting as API requests.</summary>
    public IReadOnlyList<T> Objects<T>(string? ns = null) where T : class
    {
        var r = ServedResource.ForKind(typeof(T).Name) ?? throw new ArgumentException($"{typeof(T).Name} is not served");
        WriteHeldStatus(r);
        lock (Store.Gate) return Store.All(r, ns).Select(o => Store.Typed(o, Client.TypedCopy.Of<T>)).ToList();
    }

    /// <summary>Runs everything due at the current clock time, then lets controllers settle. Idempotent, re-entrant safe.</summary>
    public void RunDue()
    {
        lock (Store.Gate)
        {
            if (_inRunDue) return;
            _inRunDue = true;
            try
            {
                for (var round = 0; round < 10_000; round++)
                {
                    var did = false;
                    while (_due.TryTakeDue(Time.GetUtcNow(), out var action)) { using (Diagnostics.Perf.Enabled ? Diagnostics.Perf.Measure("due:", action.Method.Name) : default) action(); did = true; }
                    if (_dirtyOwners.Count > 0 || _pendingGc.Count > 0) { using (Diagnostics.Perf.Measure("ReconcileOwners")) ReconcileOwners(); did = true; }
                    if (_schedulerDirty) { _schedulerDirty = false; using (Diagnostics.Perf.Measure("Schedule")) SchedulePendingPods(); did = true; }
                    if (_daemonSetsDirty) { _daemonSetsDirty = false; MarkAll(ServedResource.DaemonSets); did = true; }
                    if (_dirtyPdbs.Count > 0 && _dirtyOwners.Count == 0 && !_schedulerDirty) { using (Diagnostics.Perf.Measure("ReconcilePdbs")) ReconcilePdbs(); did = true; }
                    if (!did) break;
                }
            }
            finally { _inRunDue = false; }
        }
    }

    /// <summary>When the next scheduled piece of work is due (virtual-time drivers jump straight there).</summary>
    public DateTimeOffset? NextDue { get { lock (Store.Gate) return _due.NextDue; } }

    internal void After(TimeSpan delay, Action action)
    {
        lock (Store.Gate) _due.At(Time.GetUtcNow() + delay, action);
    }

    /// <summary>The pod templates ReplicaSets build their pods from (see <see cref="PodTemplates"/>).</summary>
    private readonly PodTemplates _podTemplates = new();

    /// <summary><see cref="ObjectStore.Mutate"/> for an edit known to change the object (a pod starting, a pod being
    /// bound or deleted, a controller's status with a different count): skips Mutate's compare of the whole edited copy
    /// with the stored version, which finds them different anyway. <paramref name="current"/> must be the stored
    /// version; if it is not (a caller holding an older read), this is a plain Mutate of the stored one.
    /// <paramref name="statusOnly"/>: the edit touches only status, so the store keeps generation without comparing
    /// the spec. The edit gets a new version that shares all but its root and metadata with the stored one, so it must
    /// take what it writes into with <see cref="CopyOnWrite.Own(JsonObject, string, int)"/>; <paramref name="metadataSpare"/>
    /// is room for the metadata fields it adds.</summary>
    private JsonObject? ReplaceWith(ServedResource r, JsonObject current, Action<JsonObject> edit, bool statusOnly = false, int metadataSpare = 0)
    {
        if (!ReferenceEquals(Store.Get(r, current.Ns(), current.Name()), current)) return Store.Mutate(r, current.Ns(), current.Name(), edit, shared: true);
        JsonObject copy;
        using (Diagnostics.Perf.Measure("copy replace-with ", r.Kind.Kind)) copy = CopyOnWrite.NewVersion(current, metadataSpare: metadataSpare);
        edit(copy);
        copy.Meta().Remove("resourceVersion");
        return statusOnly ? Store.ReplaceKeepingSpec(r, copy) : Store.Replace(r, copy);
    }

    private void MarkAll(ServedResource r)
    {
        foreach (var o in Store.All(r)) _dirtyOwners.Add(o.Uid());
    }

    private static bool SameSpecIgnoringCordon(JsonObject? a, JsonObject? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Count == b.Count && CopyOnWrite.SameTree(a, b)) return true;
        var keys = a.Select(kv => kv.Key).Concat(b.Select(kv => kv.Key)).Where(k => k != "unschedulable").Distinct();
        return keys.All(k => CopyOnWrite.SameTree(a[k], b[k]));
    }

    private void OnChanged(StoreChange change)
    {
        // The controllers never read a DELETED final's resourceVersion: they get the removed version itself.
        var c = change.ContentView();
        var r = c.Resource;
        if (r == ServedResource.Pods)
        {
            var controllerRef = c.Object.ControllerRef();
            if (controllerRef?.S("uid") is { } owner && OwnerSeesChange(c, controllerRef, owner)) _dirtyOwners.Add(owner);
            TrackDaemonSetPod(c, controllerRef);
            TrackControlledPod(c, controllerRef);
            if (!_loading) TrackPdbMembership(c); // a load marks every PDB dirty and builds membership once
            TrackUsage(c);
            ForgetShape(c);
            if (c.Type == "DELETED" || string.IsNullOrEmpty(c.Object.Spec().S("nodeName"))) _schedulerDirty = true;
            else if (c.Type == "ADDED" || c.Previous?.Spec().S("nodeName") is null or "") OnPodBound(c.Object);
        }
        else if (r == ServedResource.Nodes)
        {
            _schedulerDirty = true;
            NodesChanged(c);
            // A cordon (spec.unschedulable) does not change where DaemonSet pods run — they tolerate
            // node.kubernetes.io/unschedulable — so it does not send the DaemonSet controller over every node.
            if (c.Type != "MODIFIED" || !SameSpecIgnoringCordon(c.Object.Spec(), c.Previous?.Spec())
                || NodeReady(c.Object) != (c.Previous is not null && NodeReady(c.Previous))
                || !CopyOnWrite.SameTree(c.Object.O("metadata")?["labels"], c.Previous?.O("metadata")?["labels"]))
            {
                _daemonSetsDirty = true;
                MarkDaemonSetNode(c.Object.Name());
            }
            if (c.Type == "DELETED") OnNodeDeleted(c.Object.Name());
        }
        else if (r == ServedResource.Pdbs) OnPdbChanged(c);
        else if (r == ServedResource.ReplicationControllers) ForgetScales(c);
        else if (r == ServedResource.ReplicaSets || r == ServedResource.Deployments || r == ServedResource.StatefulSets
                 || r == ServedResource.DaemonSets || r == ServedResource.Jobs)
        {
            if (r != ServedResource.DaemonSets && r != ServedResource.Jobs) ForgetScales(c);
            if (c.Type != "DELETED" && c.Object.Uid() != _reconcilingOwner) _dirtyOwners.Add(c.Object.Uid()); // not its own status write
            if (c.Object.ControllerRef()?.S("uid") is { } owner) _dirtyOwners.Add(owner);
            if (!CopyOnWrite.SameTree(c.Object.Spec()?["replicas"], c.Previous?.Spec()?["replicas"]))
                MarkNamespacePdbsDirty(c.Object.Ns());
        }
        if (c.Type == "DELETED")
        {
            _pendingGc.Add(c.Object.Uid());
            if (r == ServedResource.Deployments) _templateHashes.Remove(c.Object.Uid());
            if (PodTemplates.Holds(r)) _podTemplates.Forget(c.Object.Uid());
            if (r == ServedResource.DaemonSets) _daemonSetNodes.Remove(c.Object.Uid());
        }
    }

    public void Dispose() => _tick.Dispose();
}
