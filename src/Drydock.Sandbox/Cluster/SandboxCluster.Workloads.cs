using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>Deployment → ReplicaSet → Pod, StatefulSet, DaemonSet and Job controllers, and the garbage collector.</summary>
public sealed partial class SandboxCluster
{
    private readonly HashSet<string> _pendingGc = new(StringComparer.Ordinal);
    private static readonly TimeSpan JobRunTime = TimeSpan.FromSeconds(10);

    private void ReconcileOwners()
    {
        if (_pendingGc.Count > 0) CollectGarbage();
        var uids = _dirtyOwners.Order(StringComparer.Ordinal).ToList();
        _dirtyOwners.Reset();
        foreach (var uid in uids)
        {
            if (Store.GetByUid(uid) is not { } found) continue;
            var (r, obj) = found;
            if (obj.IsTerminating()) continue;
            if (r == ServedResource.Deployments) ReconcileAsOwner(uid, obj, ReconcileDeployment);
            else if (r == ServedResource.ReplicaSets) ReconcileAsOwner(uid, obj, ReconcileReplicaSet);
            else if (r == ServedResource.StatefulSets) ReconcileStatefulSet(obj);
            else if (r == ServedResource.DaemonSets) ReconcileDaemonSet(obj);
            else if (r == ServedResource.Jobs) ReconcileJob(obj);
        }
    }

    /// <summary>The ReplicaSet or Deployment being reconciled: what its own pass writes (its status, the pods it
    /// creates or deletes) is already counted by that pass, so those changes do not mark it dirty again
    /// (see <see cref="OwnerSeesChange"/>).</summary>
    private string? _reconcilingOwner;

    private void ReconcileAsOwner(string uid, JsonObject obj, Action<JsonObject> reconcile)
    {
        _reconcilingOwner = uid;
        try { reconcile(obj); }
        finally { _reconcilingOwner = null; }
    }

    /// <summary>Whether a committed pod change can make its controller's next pass do anything: not a change its own
    /// pass made, and for ReplicaSets (which read of a pod only whether it is active and ready) not a change that
    /// keeps both — binding, most status edits and the removal of a pod already terminating are not worth a pass.</summary>
    private bool OwnerSeesChange(StoreChange c, JsonObject controllerRef, string owner)
    {
        if (owner == _reconcilingOwner) return false;
        if (controllerRef.S("kind") != "ReplicaSet" || c.Previous is null || c.Type == "ADDED") return true;
        if (c.Type == "DELETED") return Active(c.Previous);
        return c.Previous.ControllerRef()?.S("uid") != owner || ReplicaSetView(c.Previous) != ReplicaSetView(c.Object);
    }

    private static (bool Active, bool Ready) ReplicaSetView(JsonObject pod) => (Active(pod), PodReady(pod));

    private void CollectGarbage()
    {
        var gone = _pendingGc.ToList();
        _pendingGc.Reset();
        foreach (var uid in gone)
            foreach (var (res, dep) in Store.OwnedBy(uid))
            {
                if (res == ServedResource.Pods) DeletePod(dep, null, "garbage-collector", evictionChecked: true);
                else Store.Remove(res, dep.Ns(), dep.Name());
            }
    }

    /// <summary>The ReplicaSets that name <paramref name="ownerUid"/> among their owners, in the store's order.</summary>
    private List<JsonObject> OwnedReplicaSets(string ownerUid)
    {
        var sets = new List<JsonObject>();
        foreach (var (res, obj) in Store.OwnedBy(ownerUid))
            if (res == ServedResource.ReplicaSets) sets.Add(obj);
        return sets;
    }

    private List<JsonObject> OwnedPods(JsonObject owner) =>
        Store.OwnedBy(owner.Uid()).Where(x => x.Resource == ServedResource.Pods && x.Object.ControllerRef()?.S("uid") == owner.Uid())
            .Select(x => x.Object).ToList();

    private static JsonObject OwnerRef(JsonObject owner) => new()
    {
        ["apiVersion"] = owner.S("apiVersion"), ["kind"] = owner.S("kind"), ["name"] = owner.Name(), ["uid"] = owner.Uid(),
        ["controller"] = true, ["blockOwnerDeletion"] = true,
    };

    private JsonObject PodFromTemplate(JsonObject owner, string? name, string? generateName, Action<JsonObject>? edit = null) =>
        Store.Create(ServedResource.Pods, NewPod(owner, name, generateName, edit));

    /// <summary>Creates <paramref name="count"/> pods of a ReplicaSet: one is built from the template and the others
    /// are copies of it, instead of copying and defaulting the template piece by piece for each (150,000 pods on load).
    /// The store names each one as it is created, in the same order.</summary>
    /// <summary>New pods of a ReplicaSet: each owns its root and metadata (the store names it there) and shares the rest
    /// with the ReplicaSet's prototype pod, which later writes take what they change from with <see cref="CopyOnWrite.Own(JsonObject, string)"/>.</summary>
    private void CreateReplicaSetPods(JsonObject rs, int count)
    {
        var prototype = _podTemplates.PrototypeOf(rs, () => NewPod(rs, null, rs.Name() + "-", null));
        for (var i = 0; i < count; i++)
            // Room for what the store adds: apiVersion and kind; name, uid, creationTimestamp and resourceVersion.
            // Placed as it is created unless pods already wait for a node: those go first, in the scheduler's pass.
            // While a load settles, always: nothing frees room then, so a pod that found none would not take it first.
            Store.Create(ServedResource.Pods, prototype is null ? NewPod(rs, null, rs.Name() + "-", null) : CopyOnWrite.NewVersion(prototype, spare: 2, metadataSpare: 4),
                beforeCommit: _settling || !Store.HasUnscheduledPods ? PlaceAtCreation : null);
    }

    private JsonObject NewPod(JsonObject owner, string? name, string? generateName, Action<JsonObject>? edit)
    {
        // A ReplicaSet's template is plain and never edited (PodTemplates): its pods share its labels and the children
        // of its spec, whose top level each pod owns (DefaultPod fills it; a binding owns it again). Other owners'
        // templates are the stored versions', possibly views of a parsed request: copied.
        var fromTemplates = owner.S("kind") == "ReplicaSet";
        var template = fromTemplates ? _podTemplates.TemplateOf(owner) : owner.Spec().O("template");
        JsonNode? Take(JsonNode? n) => n is null ? null : fromTemplates ? CopyOnWrite.Shared(n) : MaterializedJson.Copy(n);
        var meta = new JsonObject { ["namespace"] = owner.Ns() };
        if (name is not null) meta["name"] = name; else meta["generateName"] = generateName;
        if (template.O("metadata")?["labels"] is { } l) meta["labels"] = Take(l);
        if (template.O("metadata")?["annotations"] is { } a) meta["annotations"] = Take(a);
        meta["ownerReferences"] = new JsonArray(OwnerRef(owner));
        var podSpec = template.O("spec") is not { } spec ? new JsonObject()
            : fromTemplates ? CopyOnWrite.ShallowCopy(spec, spare: 4) : MaterializedJson.CopyObject(spec);
        var pod = new JsonObject { ["metadata"] = meta, ["spec"] = podSpec };
        edit?.Invoke(pod);
        DefaultPod(pod);
        return pod;
    }

    private static bool Active(JsonObject pod) => !pod.IsTerminating() && !PodFinished(pod);

    private void ReconcileDeployment(JsonObject dep)
    {
        var template = dep.Spec().O("template") ?? new JsonObject();
        var hash = TemplateHashOf(dep, template);
        var replicas = (int)(dep.Spec().L("replicas") ?? 1);
        var sets = OwnedReplicaSets(dep.Uid());
        var current = sets.Find(rs => rs.LabelsObject().StringIs("pod-template-hash", hash))
            ?? sets.Find(rs => JsonNode.DeepEquals(WithoutHash(rs.Spec().O("template")), WithoutHash(template)));
        if (current is null)
        {
            // The Deployment's template plus the hash label: a new version of it that shares what the label leaves
            // alone (the pod spec), as CopyOnWrite versions do — a 30,000-Deployment load deep-copied every pod spec.
            var rsTemplate = CopyOnWrite.ShallowCopy(template);
            var labels = rsTemplate.Own("metadata").Own("labels", spare: 1);
            labels["pod-template-hash"] = hash;
            var selector = (JsonObject)(dep.Spec().O("selector")?.DeepClone() ?? new JsonObject());
            selector.Ensure("matchLabels")["pod-template-hash"] = hash;
            var rsLabels = (JsonObject)labels.DeepClone();
            current = Store.Create(ServedResource.ReplicaSets, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{dep.Name()}-{hash}", ["namespace"] = dep.Ns(), ["labels"] = rsLabels,
                    ["ownerReferences"] = new JsonArray(OwnerRef(dep)),
                },
                ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = rsTemplate },
            });
        }
        else if ((current.Spec().L("replicas") ?? 1) != replicas)
            Store.Mutate(ServedResource.ReplicaSets, current.Ns(), current.Name(), rs => rs.Ensure("spec")["replicas"] = replicas);
        var currentUid = current.Uid();
        foreach (var old in sets)
            if (old.Uid() != currentUid && (old.Spec().L("replicas") ?? 0) != 0)
                Store.Mutate(ServedResource.ReplicaSets, old.Ns(), old.Name(), rs => rs.Ensure("spec")["replicas"] = 0);
        int total = 0, ready = 0, updated = 0;
        foreach (var (res, rs) in Store.OwnedBy(dep.Uid()))
        {
            if (res != ServedResource.ReplicaSets) continue;
            total += (int)(rs.Status().L("replicas") ?? 0);
            ready += (int)(rs.Status().L("readyReplicas") ?? 0);
            if (rs.Uid() == currentUid) updated = (int)(rs.Status().L("replicas") ?? 0);
        }
        var generation = dep.O("metadata").L("generation") ?? 1;
        if (StatusIs(dep, ("observedGeneration", generation), ("replicas", total), ("updatedReplicas", updated), ("readyReplicas", ready),
                ("availableReplicas", ready), ("unavailableReplicas", total - ready > 0 ? total - ready : null)))
            return;
        ReplaceWith(ServedResource.Deployments, dep, d =>
        {
            var s = d.Own("status");
            s["observedGeneration"] = generation;
            s["replicas"] = total;
            s["updatedReplicas"] = updated;
            s["readyReplicas"] = ready;
            s["availableReplicas"] = ready;
            if (total - ready > 0) s["unavailableReplicas"] = total - ready; else s.Remove("unavailableReplicas");
        }, statusOnly: true);
    }

    /// <summary>True when the object's status already holds exactly these integers (null: the field is absent), so a
    /// controller's status write would change nothing — skipped without copying the object (Mutate would find it
    /// equal and keep the stored version anyway). False means writing them changes the object, so callers write
    /// with <see cref="ReplaceWith"/> (no compare of the whole copy). The fields are a span, not an array: every
    /// controller pass asks.</summary>
    private static bool StatusIs(JsonObject obj, params ReadOnlySpan<(string Key, long? Value)> fields) =>
        obj["status"] is JsonObject status && FieldsAre(status, fields);

    private static bool FieldsAre(JsonObject status, params ReadOnlySpan<(string Key, long? Value)> fields)
    {
        foreach (var (key, value) in fields)
        {
            var node = status[key];
            if (value is null) { if (status.ContainsKey(key)) return false; continue; }
            if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || IntegerOf(v) != value) return false;
        }
        return true;
    }

    /// <summary>An integer as stored: read from JSON (any integral value) or written by a controller (an int or a
    /// long value, which only reads back as its own type).</summary>
    private static long? IntegerOf(JsonValue v) =>
        v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : null;

    private static JsonNode? WithoutHash(JsonObject? template)
    {
        if (template?.DeepClone() is not JsonObject copy) return null;
        copy.O("metadata")?.O("labels")?.Remove("pod-template-hash");
        return copy;
    }

    /// <summary>Deployment uid → (metadata.generation, pod-template hash). A Deployment is reconciled after every change
    /// of its pods' ReplicaSet, and each status write stores a new copy of it, but its template only changes with
    /// its generation (the store bumps it on every spec change).</summary>
    private readonly Dictionary<string, (long Generation, string Hash)> _templateHashes = new(StringComparer.Ordinal);

    private string TemplateHashOf(JsonObject dep, JsonObject template)
    {
        var generation = dep.O("metadata").L("generation") ?? 1;
        if (_templateHashes.TryGetValue(dep.Uid(), out var known) && known.Generation == generation) return known.Hash;
        var hash = TemplateHash(template);
        _templateHashes[dep.Uid()] = (generation, hash);
        return hash;
    }

    private static string TemplateHash(JsonObject template)
    {
        // Only a template carrying the hash label needs a copy without it (a Deployment's own template rarely does).
        var hashed = template.O("metadata")?.O("labels")?.ContainsKey("pod-template-hash") == true ? WithoutHash(template)! : template;
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(hashed.ToJsonString()));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var sb = new StringBuilder();
        for (var i = 0; i < 10; i++) sb.Append(alphabet[bytes[i] % alphabet.Length]);
        return sb.ToString();
    }

    /// <summary>Active and ready pods per controller, for <see cref="ReconcileReplicaSet"/>.</summary>
    private readonly ControlledPods _controlledPods = new();

    internal ControlledPods ControlledPods => _controlledPods;

    private void TrackControlledPod(StoreChange c, JsonObject? controllerRef)
    {
        if (c.Type == "DELETED") _controlledPods.Remove(c.Object.Uid());
        else _controlledPods.Set(c.Object.Uid(), controllerRef?.S("uid"), Active(c.Object), PodReady(c.Object));
    }

    private void ReconcileReplicaSet(JsonObject rs)
    {
        var want = (int)(rs.Spec().L("replicas") ?? 1);
        var (active, _) = _controlledPods.Count(rs.Uid());
        if (active < want) CreateReplicaSetPods(rs, want - active);
        if (active > want) DeleteExtraPods(rs, active - want);
        WriteReplicaSetStatus(rs, hold: HoldingStatus);
    }

    /// <summary>Writes a ReplicaSet's status from its pods' counts, unless it already holds them; with
    /// <paramref name="hold"/>, a needed write is only remembered (see <see cref="WriteHeldStatus"/>).</summary>
    private void WriteReplicaSetStatus(JsonObject rs, bool hold)
    {
        // The pods this pass created (active, not ready) and deleted (no longer active) are already counted.
        var (active, ready) = _controlledPods.Count(rs.Uid());
        var generation = rs.O("metadata").L("generation") ?? 1;
        if (StatusIs(rs, ("replicas", active), ("fullyLabeledReplicas", active), ("readyReplicas", ready),
                ("availableReplicas", ready), ("observedGeneration", generation)))
        {
            if (_heldStatus.Count > 0) _heldStatus.Remove(rs.Uid()); // back where it was written last
            return;
        }
        if (hold)
        {
            _heldStatus.Add(rs.Uid());
            return;
        }
        ReplaceWith(ServedResource.ReplicaSets, rs, r =>
        {
            var s = r.Own("status");
            s["replicas"] = active;
            s["fullyLabeledReplicas"] = active;
            s["readyReplicas"] = ready;
            s["availableReplicas"] = ready;
            s["observedGeneration"] = generation;
        }, statusOnly: true);
    }

    /// <summary>ReplicaSets (uids) whose status write is held back (<see cref="SandboxOptions.HoldWorkloadStatus"/>).</summary>
    private readonly HashSet<string> _heldStatus = new(StringComparer.Ordinal);

    /// <summary>Status writes are held back only while nobody watches ReplicaSets or Deployments: a watch sees every write.</summary>
    private bool HoldingStatus =>
        Options.HoldWorkloadStatus && !Store.Watched(ServedResource.ReplicaSets) && !Store.Watched(ServedResource.Deployments);

    /// <summary>
    /// Before a client reads, writes or watches <paramref name="r"/>: when it is ReplicaSets or Deployments, writes the
    /// ReplicaSet statuses held back (in uid order), then lets the Deployment controller follow (RunDue), so the client
    /// sees the statuses it would have seen had every write been made — a status is a count of the pods as they are now.
    /// Only what the held writes would have left in between is missing: resourceVersions they would have used.
    /// </summary>
    private void WriteHeldStatus(ServedResource r)
    {
        if (r != ServedResource.ReplicaSets && r != ServedResource.Deployments) return;
        lock (Store.Gate)
        {
            if (_heldStatus.Count == 0) return;
            var uids = _heldStatus.Order(StringComparer.Ordinal).ToList();
            _heldStatus.Clear();
            foreach (var uid in uids)
                if (Store.GetByUid(uid) is { Resource: var res, Object: var rs } && res == ServedResource.ReplicaSets && !rs.IsTerminating())
                    ReconcileAsOwner(uid, rs, x => WriteReplicaSetStatus(x, hold: false));
            RunDue();
        }
    }

    /// <summary>Scales a ReplicaSet down: not-ready pods first, then the newest.</summary>
    private void DeleteExtraPods(JsonObject rs, int extra)
    {
        var victims = OwnedPods(rs).Where(Active).OrderBy(p => PodReady(p) ? 1 : 0)
            .ThenByDescending(p => p.O("metadata").S("creationTimestamp"), StringComparer.Ordinal).Take(extra).ToList();
        foreach (var pod in victims) DeletePod(pod, null, "replicaset-controller", evictionChecked: true);
    }

    private void ReconcileStatefulSet(JsonObject sts)
    {
        var want = (int)(sts.Spec().L("replicas") ?? 1);
        var parallel = sts.Spec().S("podManagementPolicy") == "Parallel";
        var byName = OwnedPods(sts).ToDictionary(p => p.Name());
        for (var i = 0; i < want; i++)
        {
            var name = $"{sts.Name()}-{i}";
            if (byName.TryGetValue(name, out var existing))
            {
                if (!parallel && (!PodReady(existing) || existing.IsTerminating())) break; // OrderedReady: wait for this ordinal
                continue;
            }
            if (Store.Get(ServedResource.Pods, sts.Ns(), name) is not null) break; // old pod with that name still terminating
            var ordinal = i;
            byName[name] = PodFromTemplate(sts, name, null, p =>
            {
                p.Meta().Ensure("labels")["statefulset.kubernetes.io/pod-name"] = name;
                p.Meta().Ensure("labels")["apps.kubernetes.io/pod-index"] = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
                p.Ensure("spec")["hostname"] = name;
                if (sts.Spec().S("serviceName") is { } svc) p.Spec()!["subdomain"] = svc;
            });
            if (!parallel) break;
        }
        foreach (var extra in byName.Values.Where(p => Active(p) && OrdinalOf(sts, p) >= want).OrderByDescending(p => OrdinalOf(sts, p)).Take(1))
            DeletePod(extra, null, "statefulset-controller", evictionChecked: true);
        var active = OwnedPods(sts).Where(Active).ToList();
        var ready = active.Count(PodReady);
        var generation = sts.O("metadata").L("generation") ?? 1;
        if (StatusIs(sts, ("observedGeneration", generation), ("replicas", active.Count), ("readyReplicas", ready),
                ("currentReplicas", active.Count), ("updatedReplicas", active.Count), ("availableReplicas", ready)))
            return;
        ReplaceWith(ServedResource.StatefulSets, sts, s =>
        {
            var st = s.Own("status");
            st["observedGeneration"] = generation;
            st["replicas"] = active.Count;
            st["readyReplicas"] = ready;
            st["currentReplicas"] = active.Count;
            st["updatedReplicas"] = active.Count;
            st["availableReplicas"] = ready;
        }, statusOnly: true);
    }

    private static int OrdinalOf(JsonObject sts, JsonObject pod) =>
        int.TryParse(pod.Name().AsSpan(sts.Name().Length + 1), out var i) ? i : -1;
}
