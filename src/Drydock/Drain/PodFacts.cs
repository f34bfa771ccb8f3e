using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>Small questions about a pod that the filters and the PDB diagnosis ask.</summary>
public static class PodFacts
{
    /// <summary>The ownerRef with controller: true (an ownerRef without it does not count, as in kubectl).</summary>
    public static OwnerReference? Controller(Pod pod) =>
        pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    public static bool IsFinished(Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static bool HasEmptyDir(Pod pod) => pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true;

    /// <summary>Running with condition Ready=True — what the disruption controller counts as healthy.</summary>
    public static bool IsHealthy(Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase == "Running" &&
        pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
