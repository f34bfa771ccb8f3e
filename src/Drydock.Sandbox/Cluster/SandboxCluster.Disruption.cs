using System.Globalization;
using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The disruption controller (PDB status) and the eviction subresource, as kube-controller-manager and
/// kube-apiserver implement them (pkg/controller/disruption, pkg/registry/core/pod/storage/eviction.go).</summary>
public sealed partial class SandboxCluster
{
    public const string EvictionBlockedMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
    public const string MultiplePdbMessage = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

    /// <summary>The PDBs whose selector matches the pod, in name order.</summary>
    internal List<JsonObject> PdbsFor(JsonObject pod)
    {
        lock (Store.Gate)
        {
            if (!_pdbsByNamespace.TryGetValue(pod.Ns() ?? "", out var pdbs) || pdbs.Count == 0) return [];
            // Every eviction asks: a plain loop over what the pod's labels object matches (remembered per object).
            var matching = pdbs.Matching(pod.LabelsObject());
            var found = new List<JsonObject>(matching.Length);
            foreach (var (uid, _) in matching)
                if (Store.GetByUid(uid) is { } pdb) found.Add(pdb.Object);
            if (found.Count > 1) found.Sort((a, b) => string.CompareOrdinal(a.Name(), b.Name()));
            return found;
        }
    }

    /// <summary>What the disruption controller knows of each pod a PDB's selector matches, by pod name (kept current by
    /// every pod change; the caller must not hold it across changes).</summary>
    internal IReadOnlyDictionary<string, PdbPodFacts> PdbMemberFacts(JsonObject pdb)
    {
        lock (Store.Gate) return MembersOf(pdb);
    }

    /// <summary>The pods a PDB's selector matches, in name order.</summary>
    internal List<JsonObject> PodsCoveredBy(JsonObject pdb)
    {
        lock (Store.Gate)
            return MembersOf(pdb).Keys.Order(StringComparer.Ordinal).Select(n => Store.Get(ServedResource.Pods, pdb.Ns(), n)).OfType<JsonObject>().ToList();
    }

    private static bool Healthy(JsonObject pod) => !pod.IsTerminating() && PodReady(pod);

    /// <summary>POST pods/NAME/eviction.</summary>
    internal void ApiEvict(string ns, string name, DeleteOptions? options, bool dryRun)
    {
        if (Evict(ns, name, options, dryRun) is { } refused) throw refused;
    }

    /// <summary>POST pods/NAME/eviction, returning a refusal (429, 403, 500 — what a drain retries) instead of throwing
    /// it: a drain's evictions are refused by the tens of thousands in a large rehearsal, and the in-process client
    /// hands a refusal back as a faulted task, so a throw here would only be caught again. Other errors (no such
    /// pod, a failed precondition) are thrown.</summary>
    internal KubeApiException? Evict(string ns, string name, DeleteOptions? options, bool dryRun)
    {
        lock (Store.Gate)
        {
            var pod = Store.GetOrThrow(ServedResource.Pods, ns, name);
            if (options?.Preconditions?.Uid is { } uid && uid != pod.Uid())
                throw ApiErrors.Conflict(ServedResource.Pods, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod.Uid()}");
            var phase = pod.Status().S("phase");
            if (phase is "Succeeded" or "Failed" or "Pending" || pod.IsTerminating())
            {
                Evicted(pod, options, dryRun);
                return null;
            }
            var pdbs = PdbsFor(pod);
            if (pdbs.Count > 1) { Stats.EvictionRejected(); return ApiErrors.Internal(MultiplePdbMessage); }
            if (pdbs.Count == 0) { Evicted(pod, options, dryRun); return null; }
            var pdb = pdbs[0];
            var st = pdb.Status();
            if ((st.L("observedGeneration") ?? 0) < (pdb.O("metadata").L("generation") ?? 1))
            {
                Stats.EvictionRejected();
                return ApiErrors.TooManyRequests(EvictionBlockedMessage,
                    [new StatusCause { Reason = "DisruptionBudget", Message = $"The disruption budget {pdb.Name()} is still being processed by the server." }]);
            }
            var currentHealthy = (int)(st.L("currentHealthy") ?? 0);
            var desiredHealthy = (int)(st.L("desiredHealthy") ?? 0);
            if (!PodReady(pod))
            {
                var policy = pdb.Spec().S("unhealthyPodEvictionPolicy") ?? "IfHealthyBudget";
                if (policy == "AlwaysAllow" || (currentHealthy >= desiredHealthy && desiredHealthy > 0))
                {
                    Evicted(pod, options, dryRun);
                    return null;
                }
            }
            var allowed = st.L("disruptionsAllowed") ?? 0;
            if (allowed < 0) { Stats.EvictionRejected(); return ApiErrors.Forbidden("pdb disruptions allowed is negative"); }
            if (allowed == 0)
            {
                Stats.EvictionRejected();
                return ApiErrors.TooManyRequests(EvictionBlockedMessage,
                    [new StatusCause { Reason = "DisruptionBudget", Message = $"The disruption budget {pdb.Name()} needs {desiredHealthy} healthy pods and has {currentHealthy} currently" }]);
            }
            // The apiserver writes the budget first (disruptionsAllowed - 1, the pod under disruptedPods), then deletes
            // the pod. Here the deletion follows under the same lock and its recount (RunDue) writes the same
            // disruptionsAllowed, with the pod gone from disruptedPods as it is terminating: that status is the one
            // any reader can see, so the intermediate one is not written (a version fewer per eviction). Only inside a
            // controller pass (RunDue does not nest, so no recount would follow before the next eviction) is it charged.
            if (!dryRun && _inRunDue)
                ReplaceWith(ServedResource.Pdbs, pdb, p => // disruptionsAllowed goes down: always a change
                {
                    var s = p.Own("status");
                    s["disruptionsAllowed"] = allowed - 1;
                    s.Own("disruptedPods")[name] = Obj.Time(Time.GetUtcNow());
                }, statusOnly: true);
            Evicted(pod, options, dryRun);
            return null;
        }
    }

    private void Evicted(JsonObject pod, DeleteOptions? options, bool dryRun)
    {
        Stats.EvictionAccepted();
        if (dryRun) return;
        DeletePod(pod, options?.GracePeriodSeconds, "eviction", evictionChecked: true);
        RunDue();
    }

    /// <summary>A healthy pod is being disrupted outside the eviction check: count a violation for every covering
    /// PDB that allowed no disruption, and charge the budget so two back-to-back deletions are both seen.</summary>
    internal void ChargeDisruption(JsonObject pod, string via)
    {
        if (!Healthy(pod) || pod.Annotation(MirrorAnnotation) is not null) return;
        foreach (var pdb in PdbsFor(pod))
        {
            var allowed = pdb.Status().L("disruptionsAllowed") ?? 0;
            if (allowed <= 0)
                Stats.Violation(new PdbViolation(Time.GetUtcNow(), pod.Ns() ?? "", pod.Name(), pdb.Name(), via));
            else
                Store.Mutate(ServedResource.Pdbs, pdb.Ns(), pdb.Name(), p => p.Own("status")["disruptionsAllowed"] = allowed - 1, shared: true);
        }
    }

    /// <summary>PDB → the pods its selector matches (by name) with what its status reads of each, kept up to date
    /// from store changes so a PDB's status costs what it covers, not what its namespace holds (150,000-pod
    /// rehearsals), and needs no pod read.</summary>
    private readonly Dictionary<string, Dictionary<string, PdbPodFacts>> _pdbMembers = new(StringComparer.Ordinal);

    /// <summary>The cached members of a PDB (null until a pass or a lookup builds them), for tests.</summary>
    internal IReadOnlyDictionary<string, PdbPodFacts>? CachedPdbMembers(string pdbUid) { lock (Store.Gate) return _pdbMembers.GetValueOrDefault(pdbUid); }
    private readonly Dictionary<string, LabelSelectorExpr> _pdbSelectors = new(StringComparer.Ordinal);

    private LabelSelectorExpr SelectorOf(JsonObject pdb)
    {
        if (!_pdbSelectors.TryGetValue(pdb.Uid(), out var sel))
            _pdbSelectors[pdb.Uid()] = sel = LabelSelectorExpr.FromObject(pdb.Spec().O("selector"));
        return sel;
    }

    private Dictionary<string, PdbPodFacts> MembersOf(JsonObject pdb)
    {
        if (_pdbMembers.TryGetValue(pdb.Uid(), out var members)) return members;
        // Build every missing set of the namespace in one scan of its pods.
        // Each pod is tested only against the PDBs its labels can match (the namespace's label index).
        var missing = Store.All(ServedResource.Pdbs, pdb.Ns()).Where(p => !_pdbMembers.ContainsKey(p.Uid()))
            .ToDictionary(p => p.Uid(), p => (Sel: SelectorOf(p), Set: new Dictionary<string, PdbPodFacts>(StringComparer.Ordinal)), StringComparer.Ordinal);
        var index = _pdbsByNamespace.GetValueOrDefault(pdb.Ns() ?? "");
        foreach (var pod in Store.All(ServedResource.Pods, pdb.Ns()))
        {
            var labels = pod.LabelsObject();
            if (index is null) { foreach (var m in missing.Values) if (m.Sel.Matches(labels)) m.Set[pod.Name()] = PdbPodFacts.Of(pod); continue; }
            foreach (var (uid, _) in index.Candidates(labels))
                if (missing.TryGetValue(uid, out var m) && m.Sel.Matches(labels)) m.Set[pod.Name()] = PdbPodFacts.Of(pod);
        }
        foreach (var (uid, m) in missing) _pdbMembers[uid] = m.Set;
        return _pdbMembers[pdb.Uid()];
    }

    /// <summary>Namespace → PDB uid → selector, so a pod event does not list the namespace's PDBs.</summary>
    private readonly Dictionary<string, NamespacePdbs> _pdbsByNamespace = new(StringComparer.Ordinal);

    private void TrackPdbMembership(StoreChange c)
    {
        if (!_pdbsByNamespace.TryGetValue(c.Object.Ns() ?? "", out var pdbs) || pdbs.Count == 0) return;
        var name = c.Object.Name();
        var labels = c.Object.LabelsObject();
        var previous = c.Previous?.LabelsObject();
        var sameLabels = c.Previous is not null && CopyOnWrite.SameTree(labels, previous);
        // Usually the labels did not change and the budgets that match them are known (NamespacePdbs.Matching); a
        // relabelled pod is tested against the candidates of both label sets.
        IEnumerable<(string Uid, LabelSelectorExpr Selector)> candidates = c.Previous is null || sameLabels
            ? pdbs.Matching(labels)
            : pdbs.Candidates(labels).Concat(pdbs.Candidates(previous)).DistinctBy(x => x.Uid, StringComparer.Ordinal);
        // A pod that stays covered matters to a budget only if it changed what ReconcilePdb reads of it (a binding does
        // not); worked out once, for the first budget that keeps the pod (most pod changes concern no budget).
        bool? sameForPdbs = null;
        PdbPodFacts? facts = null;
        foreach (var (uid, sel) in candidates)
        {
            var matches = c.Previous is null || sameLabels || sel.Matches(labels);
            var now = c.Type != "DELETED" && matches;
            var before = c.Previous is not null && (sameLabels ? matches : sel.Matches(previous));
            if (!now && !before) continue;
            if (_pdbMembers.TryGetValue(uid, out var members))
            {
                if (now) members[name] = facts ??= PdbPodFacts.Of(c.Object);
                else members.Remove(name);
            }
            if (now && before && (sameForPdbs ??= c.Type == "MODIFIED" && sameLabels && PdbView(c.Previous!) == PdbView(c.Object))) continue;
            _dirtyPdbs.Add(uid);
        }
    }

    /// <summary>What a PDB's status reads of a covered pod besides its name: healthy, terminating, and its controller
    /// (the expected scale).</summary>
    private static (bool Terminating, bool Ready, string? Controller) PdbView(JsonObject pod) =>
        (pod.IsTerminating(), PodReady(pod), pod.ControllerRef()?.S("uid"));

    /// <summary>A workload's scale changed: every PDB of its namespace may expect a different number of pods
    /// (a load marks every PDB dirty once at the end).</summary>
    private void MarkNamespacePdbsDirty(string? ns)
    {
        if (_loading || !_pdbsByNamespace.TryGetValue(ns ?? "", out var pdbs) || !_namespacesAllPdbsDirty.Add(ns ?? "")) return;
        foreach (var (uid, _) in pdbs.Candidates(null)) _dirtyPdbs.Add(uid);
    }

    /// <summary>Namespaces whose every PDB is already in <see cref="_dirtyPdbs"/> (cleared with it): marking one again
    /// adds nothing, since a PDB that joins a namespace is marked dirty by <see cref="OnPdbChanged"/> itself. Creating
    /// a Deployment's ReplicaSets and pods would otherwise walk hundreds of PDBs per ReplicaSet.</summary>
    private readonly HashSet<string> _namespacesAllPdbsDirty = new(StringComparer.Ordinal);

    private void OnPdbChanged(StoreChange c)
    {
        var uid = c.Object.Uid();
        var ns = c.Object.Ns() ?? "";
        if (!_pdbsByNamespace.TryGetValue(ns, out var inNamespace)) _pdbsByNamespace[ns] = inNamespace = new();
        if (c.Type == "DELETED") { _pdbMembers.Remove(uid); _pdbSelectors.Remove(uid); inNamespace.Remove(uid); return; }
        if (c.Type == "ADDED" || c.Object.O("metadata").L("generation") != c.Previous?.O("metadata").L("generation"))
        {
            _pdbMembers.Remove(uid);
            _pdbSelectors.Remove(uid);
            _dirtyPdbs.Add(uid);
            inNamespace.Set(uid, SelectorOf(c.Object));
        }
    }

    private void ReconcilePdbs()
    {
        var uids = _dirtyPdbs.ToList();
        _dirtyPdbs.Reset();
        _namespacesAllPdbsDirty.Reset();
        foreach (var uid in uids)
        {
            if (Store.GetByUid(uid) is not { } found || found.Resource != ServedResource.Pdbs) continue;
            var pdb = found.Object;
            ReconcilePdb(pdb, MembersOf(pdb));
        }
    }

    private void ReconcilePdb(JsonObject pdb, Dictionary<string, PdbPodFacts> pods)
    {
        var spec = pdb.Spec();
        var minAvailable = ReadIntOrString(spec?["minAvailable"]);
        var maxUnavailable = ReadIntOrString(spec?["maxUnavailable"]);
        int expected, desired;
        if (minAvailable is { IsPercent: false } && maxUnavailable is null)
        {
            expected = pods.Count;
            desired = minAvailable.Resolve(expected, roundUp: true);
        }
        else
        {
            expected = ExpectedScale(pods);
            desired = maxUnavailable is not null
                ? Math.Max(0, expected - maxUnavailable.Resolve(expected, roundUp: true))
                : minAvailable!.Resolve(expected, roundUp: true);
        }
        var now = Time.GetUtcNow();
        // Only budgets that allowed an eviction in the last two minutes list disrupted pods: the others need no map.
        Dictionary<string, string>? disrupted = null;
        if (pdb.Status().O("disruptedPods") is { Count: > 0 } disruptedPods)
        {
            foreach (var (podName, at) in disruptedPods.StringMap())
                if (pods.TryGetValue(podName, out var pod) && !pod.Terminating && Obj.ParseTime(at) > now - TimeSpan.FromMinutes(2))
                    (disrupted ??= new Dictionary<string, string>(StringComparer.Ordinal))[podName] = at;
        }
        var healthy = 0;
        foreach (var (name, pod) in pods)
            if (pod.Healthy && (disrupted is null || !disrupted.ContainsKey(name))) healthy++;
        var allowed = expected <= 0 ? 0 : Math.Max(0, healthy - desired);
        var generation = pdb.O("metadata").L("generation") ?? 1;
        if (disrupted is null && PdbStatusIs(pdb.Status(), generation, allowed, healthy, desired, expected)) return;
        var status = PdbStatus(pdb.Status(), generation, allowed, healthy, desired, expected, disrupted, now);
        // Most passes find the budget as it was: compare the status alone instead of copying the whole PDB to find out.
        if (CopyOnWrite.SameTree(pdb["status"], status)) return;
        ReplaceStatus(ServedResource.Pdbs, pdb, status);
    }

    /// <summary>True when the stored status is exactly what <see cref="PdbStatus"/> would build with no disrupted pods
    /// (same counts, one DisruptionAllowed condition in the same state, whose transition time it keeps), so the pass
    /// neither builds nor compares a new status.</summary>
    private static bool PdbStatusIs(JsonObject? old, long generation, int allowed, int healthy, int desired, int expected)
    {
        if (old is not { Count: 6 } || !FieldsAre(old, ("observedGeneration", generation),
                ("disruptionsAllowed", allowed), ("currentHealthy", healthy), ("desiredHealthy", desired), ("expectedPods", expected)))
            return false;
        return ConditionsAre(old, generation, allowed);
    }

    /// <summary>True when <paramref name="old"/> holds exactly the conditions <see cref="PdbStatus"/> would build: one
    /// DisruptionAllowed condition in the state <paramref name="allowed"/> gives, for this generation, with a
    /// transition time (which it keeps).</summary>
    private static bool ConditionsAre(JsonObject? old, long generation, int allowed)
    {
        if (old.A("conditions") is not [JsonObject { Count: 6 } c]) return false;
        return c.S("type") == "DisruptionAllowed" && c.S("status") == (allowed > 0 ? "True" : "False")
            && c.S("reason") == (allowed > 0 ? "SufficientPods" : "InsufficientPods") && c.S("message") == ""
            && c["observedGeneration"] is JsonValue g && g.GetValueKind() == System.Text.Json.JsonValueKind.Number && IntegerOf(g) == generation
            && c.S("lastTransitionTime") is not null;
    }

    private JsonObject PdbStatus(JsonObject? old, long generation, int allowed, int healthy, int desired, int expected,
        Dictionary<string, string>? disrupted, DateTimeOffset now)
    {
        // Most writes only move the counts: the conditions are then the stored ones, shared (CopyOnWrite), not rebuilt.
        var conditions = ConditionsAre(old, generation, allowed) ? CopyOnWrite.Shared(old!.A("conditions")!) : NewConditions(old, generation, allowed, now);
        // Built from collections, whose count sizes each table: an object initializer grows it as it goes (every PDB
        // status write, hundreds of thousands in a large rehearsal).
        var properties = new List<KeyValuePair<string, JsonNode?>>(7)
        {
            new("observedGeneration", generation), new("disruptionsAllowed", allowed), new("currentHealthy", healthy),
            new("desiredHealthy", desired), new("expectedPods", expected),
        };
        if (disrupted is { Count: > 0 })
            properties.Add(new("disruptedPods", new JsonObject(disrupted.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)).ToArray())));
        properties.Add(new("conditions", conditions));
        return new JsonObject(properties);
    }

    private JsonArray NewConditions(JsonObject? old, long generation, int allowed, DateTimeOffset now)
    {
        var condStatus = allowed > 0 ? "True" : "False";
        var oldCond = (old.A("conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.S("type") == "DisruptionAllowed");
        var kept = oldCond?.S("status") == condStatus;
        if (!kept)
        {
            // A transition: the conditions depend only on the state, the generation and the second, and budgets flip
            // by the hundred in one second of a rehearsal — built once and shared (stored versions are never edited).
            var at = Obj.Time(now);
            var key = (allowed > 0, generation);
            if (_transitions.TryGetValue(key, out var known) && known.At == at) return CopyOnWrite.Shared(known.Conditions);
            var conditions = Conditions(condStatus, allowed, generation, at);
            _transitions[key] = (at, conditions);
            return conditions;
        }
        return Conditions(condStatus, allowed, generation, oldCond!["lastTransitionTime"]?.DeepClone());
    }

    private static JsonArray Conditions(string condStatus, int allowed, long generation, JsonNode? lastTransitionTime) =>
        new(new JsonObject(new KeyValuePair<string, JsonNode?>[]
        {
            new("type", "DisruptionAllowed"),
            new("status", condStatus),
            new("reason", allowed > 0 ? "SufficientPods" : "InsufficientPods"),
            new("message", ""),
            new("observedGeneration", generation),
            new("lastTransitionTime", lastTransitionTime),
        }));

    /// <summary>The conditions of the latest transition to each (allowed, generation), and the second it happened.</summary>
    private readonly Dictionary<(bool Allowed, long Generation), (string At, JsonArray Conditions)> _transitions = [];

    /// <summary>Sum of the scale of the pods' controllers (Deployment via its ReplicaSet, StatefulSet, RC, RS);
    /// pods without a scalable controller count themselves.</summary>
    private int ExpectedScale(Dictionary<string, PdbPodFacts> pods)
    {
        // Sets reused from pass to pass (a pass runs under the store's lock and calls nothing that counts again).
        var seen = _expectedScaleSeen;
        // A budget's pods mostly share one controller: resolve each controller uid once per pass.
        var resolved = _expectedScaleResolved;
        seen.Clear();
        resolved.Clear();
        var total = 0;
        foreach (var (_, pod) in pods)
        {
            if (pod.ScalableController is not { } controllerUid) { total++; continue; }
            if (resolved.Contains(controllerUid)) continue; // its scale is already in the total
            if (ScaleOf(controllerUid) is not { } scale) { total++; continue; }
            if (seen.Add(scale.Owner)) total += scale.Replicas;
            resolved.Add(controllerUid);
        }
        return total;
    }

    /// <summary>The object whose scale a controller's pods count against (a ReplicaSet's Deployment, else itself) and
    /// that scale; null when the controller is gone. Remembered until a scalable workload is added, removed, scaled or
    /// re-owned (<see cref="ForgetScales"/>): every pass of every budget asks for each of its pods' controllers.</summary>
    private (string Owner, int Replicas)? ScaleOf(string controllerUid)
    {
        if (_scales.TryGetValue(controllerUid, out var known)) return known;
        (string, int)? scale = null;
        if (Store.GetByUid(controllerUid) is { } found)
        {
            var (res, obj) = found;
            if (res == ServedResource.ReplicaSets && obj.ControllerRef() is { } dref && Store.GetByUid(dref.S("uid") ?? "") is { } dep)
                obj = dep.Object;
            scale = (obj.Uid(), (int)(obj.Spec().L("replicas") ?? 1));
        }
        _scales[controllerUid] = scale;
        return scale;
    }

    private readonly Dictionary<string, (string Owner, int Replicas)?> _scales = new(StringComparer.Ordinal);

    /// <summary>A change that can move what <see cref="ScaleOf"/> answers: a scalable workload (or a Deployment) added
    /// or removed, its replicas or its owners changed. A status write moves nothing.</summary>
    private void ForgetScales(StoreChange c)
    {
        if (_scales.Count == 0) return;
        if (c.Type == "MODIFIED" && c.Previous is { } before
            && CopyOnWrite.SameTree(c.Object.Spec()?["replicas"], before.Spec()?["replicas"])
            && CopyOnWrite.SameTree(c.Object.O("metadata")?["ownerReferences"], before.O("metadata")?["ownerReferences"]))
            return;
        _scales.Clear();
    }

    private readonly HashSet<string> _expectedScaleSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expectedScaleResolved = new(StringComparer.Ordinal);

    private static IntOrString? ReadIntOrString(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => IntOrString.FromInt(i),
        JsonValue v when v.TryGetValue<long>(out var l) => IntOrString.FromInt((int)l),
        JsonValue v when v.TryGetValue<string>(out var s) => s.EndsWith('%') ? IntOrString.FromString(s) : IntOrString.FromInt(int.Parse(s, CultureInfo.InvariantCulture)),
        _ => null,
    };
}
