using System.Globalization;
using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

internal sealed partial class ObjectStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Creates an object: fills name (generateName), uid, resourceVersion, generation, creationTimestamp.
    /// <paramref name="keepMetadata"/> keeps uid/creationTimestamp of a loaded snapshot. <paramref name="beforeCommit"/>
    /// edits the object once its name and uid are set, just before it is stored (a loading cluster binds a new pod there).</summary>
    public JsonObject Create(ServedResource r, JsonObject obj, bool dryRun = false, bool keepMetadata = false, Action<JsonObject>? beforeCommit = null)
    {
        lock (Gate)
        {
            var meta = obj.Meta();
            obj["apiVersion"] = r.ApiVersion;
            obj["kind"] = r.Kind.Kind;
            if (!r.Kind.Namespaced) meta.Remove("namespace");
            else if (string.IsNullOrEmpty(meta.S("namespace"))) meta["namespace"] = "default";
            var name = meta.S("name");
            if (string.IsNullOrEmpty(name))
            {
                var prefix = meta.S("generateName");
                if (string.IsNullOrEmpty(prefix))
                    throw ApiErrors.Invalid(r, "", "metadata.name", "Required value: name or generateName is required");
                do name = prefix + RandomSuffix(5);
                while (_tables[r].Items.ContainsKey(KeyOf(meta.S("namespace"), name)));
                meta["name"] = name;
            }
            var key = KeyOf(meta.S("namespace"), name);
            var table = _tables[r];
            if (table.Items.ContainsKey(key)) throw ApiErrors.AlreadyExists(r, name);
            if (!keepMetadata || string.IsNullOrEmpty(meta.S("uid"))) meta["uid"] = NewUid();
            if (!keepMetadata || meta.S("creationTimestamp") is null) meta["creationTimestamp"] = Obj.Time(Now);
            if (!keepMetadata) { meta.Remove("deletionTimestamp"); meta.Remove("deletionGracePeriodSeconds"); }
            if (r.HasSpecGeneration && (!keepMetadata || meta.L("generation") is null)) meta["generation"] = 1;
            ValidateSize(r, name, obj);
            if (dryRun) return obj;
            meta["resourceVersion"] = NextVersion();
            if (_byUid.ContainsKey(meta.S("uid")!)) meta["uid"] = NewUid();
            beforeCommit?.Invoke(obj);
            Commit("ADDED", r, key, obj, null);
            return obj;
        }
    }

    /// <summary>Replaces an object with a new version (the caller built it from a copy). Bumps resourceVersion and,
    /// when the spec changed, generation. A non-empty resourceVersion in the new object must match (optimistic concurrency).</summary>
    public JsonObject Replace(ServedResource r, JsonObject updated, bool dryRun = false, bool checkVersion = true) =>
        Replace(r, updated, dryRun, checkVersion, specUnchanged: null);

    /// <summary>Replaces an object with a new version whose spec the caller left as stored (a controller's status
    /// write): generation stays, and the spec — for a workload most of the object, its pod template — is not compared.</summary>
    public JsonObject ReplaceKeepingSpec(ServedResource r, JsonObject updated) =>
        Replace(r, updated, dryRun: false, checkVersion: true, specUnchanged: true);

    /// <param name="specUnchanged">Whether the caller already found the spec equal to the stored one (null: compare here).</param>
    private JsonObject Replace(ServedResource r, JsonObject updated, bool dryRun, bool checkVersion, bool? specUnchanged)
    {
        lock (Gate)
        {
            var meta = updated.Meta();
            var name = meta.S("name") ?? "";
            var ns = r.Kind.Namespaced ? meta.S("namespace") : null;
            var current = Find(_tables[r], ns, name, out var key) ?? throw ApiErrors.NotFound(r, name);
            var curMeta = current.Meta();
            var rv = meta.S("resourceVersion");
            if (checkVersion && !string.IsNullOrEmpty(rv) && rv != curMeta.S("resourceVersion"))
                throw ApiErrors.Conflict(r, name, "the object has been modified; please apply your changes to the latest version and try again");
            // Immutable metadata stays as stored (a controller's new version already holds it: no new nodes then).
            if (curMeta.S("uid") is var uid && meta.S("uid") != uid) meta["uid"] = uid;
            if (!CopyOnWrite.SameTree(meta["creationTimestamp"], curMeta["creationTimestamp"])) meta["creationTimestamp"] = curMeta["creationTimestamp"]?.DeepClone();
            if (!updated.StringIs("apiVersion", r.ApiVersion)) updated["apiVersion"] = r.ApiVersion;
            if (!updated.StringIs("kind", r.Kind.Kind)) updated["kind"] = r.Kind.Kind;
            if (r.HasSpecGeneration)
            {
                var gen = curMeta.L("generation") ?? 1;
                var next = specUnchanged ?? CopyOnWrite.SameTree(current["spec"], updated["spec"]) ? gen : gen + 1;
                if (meta["generation"] is not JsonValue held || !held.TryGetValue<long>(out var was) || was != next) meta["generation"] = next;
            }
            ValidateSize(r, name, updated);
            if (dryRun) return updated;
            meta["resourceVersion"] = NextVersion();
            Commit("MODIFIED", r, key, updated, current);
            return updated;
        }
    }

    /// <summary>The apiserver's ValidateConfigMap: data plus decoded binaryData at most 1 MiB (core.MaxSecretSize).</summary>
    private static void ValidateSize(ServedResource r, string name, JsonObject obj)
    {
        if (r != ServedResource.ConfigMaps) return;
        long total = 0;
        foreach (var (k, v) in obj.O("data") ?? [])
            total += k.Length + System.Text.Encoding.UTF8.GetByteCount(v is JsonValue jv && jv.TryGetValue<string>(out var text) ? text : "");
        foreach (var (k, v) in obj.O("binaryData") ?? [])
            total += k.Length + (v is JsonValue bv && bv.TryGetValue<string>(out var b64) ? b64.Length / 4 * 3 : 0);
        if (total > MaxConfigMapBytes)
            throw ApiErrors.Invalid(r, name, "[]", $"Too long: must have at most {MaxConfigMapBytes} bytes");
    }

    public const int MaxConfigMapBytes = 1024 * 1024;

    /// <summary>Copies, edits and replaces in one step (controllers' read-modify-write). <paramref name="shared"/>:
    /// the edit writes only into nodes it owns (<see cref="CopyOnWrite"/>), so the copy shares the rest.</summary>
    public JsonObject? Mutate(ServedResource r, string? ns, string name, Action<JsonObject> edit, bool shared = false)
    {
        lock (Gate)
        {
            var current = Get(r, ns, name);
            if (current is null) return null;
            JsonObject copy;
            using (Diagnostics.Perf.Measure("copy mutate ", r.Kind.Kind)) copy = shared ? CopyOnWrite.NewVersion(current) : (JsonObject)current.DeepClone();
            edit(copy);
            if (shared && VerifyStoredVersions) VerifyUnchanged(r, KeyOf(r.Kind.Namespaced ? ns : null, name), current, leaving: false); // an edit that wrote into it would find it "unchanged"
            if (SameObject(copy, current, out var specUnchanged)) return current;
            copy.Meta().Remove("resourceVersion");
            return Replace(r, copy, dryRun: false, checkVersion: true, specUnchanged);
        }
    }

    /// <summary>Equality of two versions (<see cref="CopyOnWrite.SameTree"/>), comparing the spec first and reporting it, so that
    /// <see cref="Replace(ServedResource, JsonObject, bool, bool, bool?)"/> need not walk it again for the generation
    /// (a workload's spec, with its pod template, is most of the object and most writes change only its status).</summary>
    private static bool SameObject(JsonObject edited, JsonObject stored, out bool specUnchanged)
    {
        specUnchanged = CopyOnWrite.SameTree(edited["spec"], stored["spec"]);
        if (!specUnchanged || edited.Count != stored.Count) return false;
        foreach (var (key, value) in edited)
            if (key != "spec" && (!stored.TryGetPropertyValue(key, out var other) || !CopyOnWrite.SameTree(value, other))) return false;
        return true;
    }

    /// <summary>Removes an object for good (the end of a deletion) and returns its DELETED final (the removed
    /// version with the deletion's resourceVersion), or null when there is no such object.</summary>
    public JsonObject? Remove(ServedResource r, string? ns, string name) => Delete(r, ns, name)?.Object;

    /// <summary><see cref="Remove"/> for callers that do not use the final (a kubelet confirming a termination):
    /// nothing is copied unless a watch reads it. False when there is no such object.</summary>
    public bool Discard(ServedResource r, string? ns, string name) => Delete(r, ns, name) is not null;

    private StoreChange? Delete(ServedResource r, string? ns, string name)
    {
        lock (Gate)
        {
            var table = _tables[r];
            if (Find(table, r.Kind.Namespaced ? ns : null, name, out var key) is not { } current) return null;
            VerifyUnchanged(r, key, current);
            Unindex(table, key, current);
            table.Items.Remove(key);
            table.Keys.Remove(key);
            _typed.Remove(current, out var typed);
            ++_resourceVersion;
            return Publish(StoreChange.Deleted(_resourceVersion, r, current, typed));
        }
    }

    private void Commit(string type, ServedResource r, string key, JsonObject obj, JsonObject? previous)
    {
        VerifyCommit(r, key, obj, previous);
        var table = _tables[r];
        table.Items[key] = obj;
        if (previous is null)
        {
            table.Keys.Add(key);
            Index(table, key, obj);
        }
        else if (!SameIndexKeys(r, previous, obj))
        {
            Unindex(table, key, previous);
            Index(table, key, obj);
        }
        TrackTyped(obj, previous);
        Publish(new StoreChange(_resourceVersion, type, r, obj, previous));
    }

    private StoreChange Publish(StoreChange change)
    {
        AppendWatchLog(change);
        Changed?.Invoke(change);
        return change;
    }

    private void Index(Table table, string key, JsonObject obj)
    {
        var r = table.Resource;
        _byUid[obj.Uid()] = (r, key);
        foreach (var owner in OwnerUids(obj))
        {
            if (!_byOwnerUid.TryGetValue(owner, out var set)) _byOwnerUid[owner] = set = [];
            set.Add((table, key));
        }
        if (r != ServedResource.Pods) return;
        var node = obj.Spec().S("nodeName");
        if (string.IsNullOrEmpty(node)) _unscheduledPods.Add(key);
        else
        {
            if (!_podsByNode.TryGetValue(node, out var set)) _podsByNode[node] = set = new();
            set.Add(key);
        }
    }

    private void Unindex(Table table, string key, JsonObject obj)
    {
        var r = table.Resource;
        _byUid.Remove(obj.Uid());
        foreach (var owner in OwnerUids(obj))
            if (_byOwnerUid.TryGetValue(owner, out var set) && set.Remove((table, key)) && set.Count == 0) _byOwnerUid.Remove(owner);
        if (r != ServedResource.Pods) return;
        var node = obj.Spec().S("nodeName");
        if (string.IsNullOrEmpty(node)) _unscheduledPods.Remove(key);
        else if (_podsByNode.TryGetValue(node, out var set)) set.Remove(key);
    }

    /// <summary>Whether a new version files under the same uid, owners and node as the one it replaces (most updates
    /// touch status or labels), so the indexes can stay as they are.</summary>
    private static bool SameIndexKeys(ServedResource r, JsonObject previous, JsonObject next)
    {
        if (previous.Uid() != next.Uid()) return false;
        if (r == ServedResource.Pods && previous.Spec().S("nodeName") != next.Spec().S("nodeName")) return false;
        return SameOwnerUids(previous.O("metadata").A("ownerReferences"), next.O("metadata").A("ownerReferences"));
    }

    /// <summary><see cref="OwnerUids"/> of both lists equal, in order, without enumerator allocations (every update asks).</summary>
    private static bool SameOwnerUids(JsonArray? a, JsonArray? b)
    {
        if (ReferenceEquals(a, b)) return true; // a new version shares the list it did not change (CopyOnWrite)
        int i = 0, j = 0;
        while (true)
        {
            var x = NextOwnerUid(a, ref i);
            var y = NextOwnerUid(b, ref j);
            if (x != y) return false;
            if (x is null) return true;
        }
    }

    /// <summary>The next uid in <paramref name="refs"/> from <paramref name="at"/> on (entries without one are skipped, as in <see cref="OwnerUids"/>).</summary>
    private static string? NextOwnerUid(JsonArray? refs, ref int at)
    {
        if (refs is null) return null;
        while (at < refs.Count)
            if (refs[at++] is JsonObject o && o.S("uid") is { } uid) return uid;
        return null;
    }

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        (obj.O("metadata").A("ownerReferences") ?? []).OfType<JsonObject>().Select(o => o.S("uid")).OfType<string>();

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private string NewUid()
    {
        Span<byte> b = stackalloc byte[16];
        _random.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        return new Guid(b).ToString();
    }

    private string RandomSuffix(int n)
    {
        Span<char> c = stackalloc char[n];
        for (var i = 0; i < n; i++) c[i] = NameAlphabet[_random.Next(NameAlphabet.Length)];
        return new string(c);
    }

    /// <summary>A fresh uid-shaped id from the store's seeded generator (boot ids).</summary>
    public string NewId() { lock (Gate) return NewUid(); }

    /// <summary>Random suffix for names controllers make (pod-template-hash style).</summary>
    public string NewSuffix(int n) { lock (Gate) return RandomSuffix(n); }
}
