using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>What a PDB's status reads of a pod it covers, kept per member so a disruption-controller pass counts
/// its pods without fetching and re-reading each one.</summary>
/// <param name="ScalableController">The uid of the pod's controller when that is a ReplicaSet, StatefulSet or
/// ReplicationController ("" when the reference has no uid), whose scale the PDB expects; null otherwise (the pod
/// counts itself).</param>
internal readonly record struct PdbPodFacts(bool Terminating, bool Ready, string? ScalableController)
{
    public bool Healthy => !Terminating && Ready;

    public static PdbPodFacts Of(JsonObject pod)
    {
        var controller = pod.ControllerRef();
        var scalable = controller is not null && controller.S("kind") is "ReplicaSet" or "StatefulSet" or "ReplicationController"
            ? controller.S("uid") ?? ""
            : null;
        return new PdbPodFacts(pod.IsTerminating(), SandboxCluster.PodReady(pod), scalable);
    }
}
