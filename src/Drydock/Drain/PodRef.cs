using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>A pod by namespace, name and UID (the UID tells a pod from its same-named replacement).</summary>
public sealed record PodRef(string Namespace, string Name, string? Uid)
{
    public static PodRef Of(Pod pod) => new(pod.Metadata.Namespace ?? "default", pod.Metadata.Name ?? "", pod.Metadata.Uid);

    /// <summary>kubectl's "ns/name".</summary>
    public override string ToString() => $"{Namespace}/{Name}";

    public bool SameName(PodRef other) => Namespace == other.Namespace && Name == other.Name;
}
