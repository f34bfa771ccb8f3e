using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Api;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>The apiserver's REST semantics, shared by the HTTP front and the in-process client.</summary>
public sealed partial class SandboxCluster
{
    internal JsonObject ApiGet(ServedResource r, string? ns, string name)
    {
        WriteHeldStatus(r);
        return Store.GetOrThrow(r, ns, name);
    }

    internal ListPage ApiList(ServedResource r, string? ns, string? labelSelector, string? fieldSelector, int limit, string? continueToken)
    {
        LabelSelectorExpr labels;
        FieldSelectorExpr fields;
        try
        {
            labels = LabelSelectorExpr.Parse(labelSelector);
            fields = FieldSelectorExpr.Parse(fieldSelector, r.Kind.Plural);
        }
        catch (FormatException e) { throw ApiErrors.BadRequest($"unable to parse requirement: {e.Message}"); }
        WriteHeldStatus(r);
        return Store.List(r, ns, labels, fields, limit, continueToken);
    }

    internal WatchSubscription ApiWatch(ServedResource r, string? ns, string? labelSelector, string? fieldSelector, string? resourceVersion)
    {
        try
        {
            // Held under the gate: once the watch is open, nothing is held back (HoldingStatus).
            lock (Store.Gate)
            {
                WriteHeldStatus(r);
                return Store.Watch(r, ns, LabelSelectorExpr.Parse(labelSelector), FieldSelectorExpr.Parse(fieldSelector, r.Kind.Plural), resourceVersion);
            }
        }
        catch (FormatException e) { throw ApiErrors.BadRequest($"unable to parse requirement: {e.Message}"); }
    }

    internal JsonObject ApiCreate(ServedResource r, string? ns, JsonObject body, bool dryRun)
    {
        lock (Store.Gate)
        {
            WriteHeldStatus(r);
            var meta = body.Meta();
            if (r.Kind.Namespaced)
            {
                var bodyNs = meta.S("namespace");
                if (!string.IsNullOrEmpty(ns) && !string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
                    throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
                meta["namespace"] = string.IsNullOrEmpty(ns) ? bodyNs ?? "default" : ns;
                if (Store.Get(ServedResource.Namespaces, null, meta.S("namespace")!) is null && r != ServedResource.Events)
                    throw ApiErrors.Make(404, "NotFound", $"namespaces \"{meta.S("namespace")}\" not found", meta.S("namespace"), "namespaces");
            }
            if (r == ServedResource.Pods) DefaultPod(body);
            if (r == ServedResource.Pdbs) body.Remove("status");
            var created = Store.Create(r, body, dryRun);
            if (!dryRun) RunDue();
            return created;
        }
    }

    internal JsonObject ApiReplace(ServedResource r, string? ns, string name, JsonObject body, bool dryRun, bool status)
    {
        lock (Store.Gate)
        {
            WriteHeldStatus(r);
            var current = Store.GetOrThrow(r, ns, name);
            if (body.Name() != name) throw ApiErrors.BadRequest("the name of the object does not match the name on the URL");
            var next = (JsonObject)body.DeepClone();
            if (r.Kind.Namespaced) next.Meta()["namespace"] = ns;
            KeepUntouchedPart(r, current, next, status);
            var result = Store.Replace(r, next, dryRun);
            if (!dryRun) RunDue();
            return result;
        }
    }

    internal JsonObject ApiPatch(ServedResource r, string? ns, string name, PatchType type, string patch, bool dryRun, bool status)
    {
        lock (Store.Gate)
        {
            WriteHeldStatus(r);
            var current = Store.GetOrThrow(r, ns, name);
            var next = Patches.Apply(current, type, patch);
            if (next.Name() != name) throw ApiErrors.BadRequest("the name of the object does not match the name on the URL");
            KeepUntouchedPart(r, current, next, status);
            if (CopyOnWrite.SameTree(next, current)) return current;
            var rv = next.Meta().S("resourceVersion");
            if (rv == current.Meta().S("resourceVersion")) next.Meta().Remove("resourceVersion");
            var result = Store.Replace(r, next, dryRun);
            if (!dryRun) RunDue();
            return result;
        }
    }

    /// <summary>A write to the main resource leaves status alone, a write to /status leaves everything else alone
    /// (resources with a status subresource); metadata a user cannot set is kept.</summary>
    private static void KeepUntouchedPart(ServedResource r, JsonObject current, JsonObject next, bool status)
    {
        if (!r.Subresources.Contains("status")) return;
        if (status)
        {
            var keepStatus = next["status"]?.DeepClone();
            foreach (var key in next.Select(p => p.Key).ToList()) next.Remove(key);
            foreach (var (k, v) in current) next[k] = v?.DeepClone();
            next["status"] = keepStatus;
        }
        else if (current["status"] is { } s) next["status"] = s.DeepClone();
        else next.Remove("status");
        next.Meta()["deletionTimestamp"] = current.O("metadata")?["deletionTimestamp"]?.DeepClone();
        if (next.Meta()["deletionTimestamp"] is null) next.Meta().Remove("deletionTimestamp");
    }

    /// <summary>DELETE. Pods terminate gracefully (see <see cref="DeletePod"/>); other objects go at once and their
    /// dependents are garbage-collected (background propagation) unless the policy is Orphan.</summary>
    internal JsonObject ApiDelete(ServedResource r, string? ns, string name, DeleteOptions? options, bool dryRun)
    {
        lock (Store.Gate)
        {
            WriteHeldStatus(r);
            var current = Store.GetOrThrow(r, ns, name);
            if (options?.Preconditions?.Uid is { } uid && uid != current.Uid())
                throw ApiErrors.Conflict(r, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");
            if (dryRun) return current;
            JsonObject result;
            if (r == ServedResource.Pods)
                result = DeletePod(current, options?.GracePeriodSeconds, "DELETE", evictionChecked: false) ?? current;
            else
            {
                if (options?.PropagationPolicy == "Orphan") Orphan(current.Uid());
                result = Store.Remove(r, ns, name) ?? current;
            }
            RunDue();
            return result;
        }
    }

    private void Orphan(string ownerUid)
    {
        foreach (var (res, dep) in Store.OwnedBy(ownerUid))
            Store.Mutate(res, dep.Ns(), dep.Name(), o =>
            {
                var refs = o.O("metadata").A("ownerReferences")!;
                foreach (var x in refs.OfType<JsonObject>().Where(x => x.S("uid") == ownerUid).ToList()) refs.Remove(x);
            });
    }

    private static void DefaultPod(JsonObject pod)
    {
        var spec = pod.Ensure("spec");
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["schedulerName"] ??= "default-scheduler";
        spec["dnsPolicy"] ??= "ClusterFirst";
        var status = pod.Ensure("status");
        status["phase"] ??= "Pending";
        status["qosClass"] ??= QosClass(spec);
    }

    /// <summary>The pod's QoS class from its containers' requests and limits. Reads the nodes in place (every pod a
    /// controller creates asks): no container list or request/limit maps.</summary>
    private static string QosClass(JsonObject spec)
    {
        var containers = spec.A("containers");
        if (containers is null) return "BestEffort";
        var anyRequests = false;
        var guaranteed = true;
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is not JsonObject c) continue;
            var limits = c.O("resources")?.O("limits");
            var requests = c.O("resources")?.O("requests");
            if (requests?.Count > 0 || limits?.Count > 0) anyRequests = true;
            if (guaranteed && !(LimitMatchesRequest(limits, requests, "cpu") && LimitMatchesRequest(limits, requests, "memory"))) guaranteed = false;
        }
        if (!anyRequests) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>A Guaranteed container's resource: a string limit, and no string request or one equal to it.</summary>
    private static bool LimitMatchesRequest(JsonObject? limits, JsonObject? requests, string resource) =>
        limits.S(resource) is { } limit && (requests.S(resource) is not { } request || request == limit);
}
