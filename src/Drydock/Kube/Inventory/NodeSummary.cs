using Drydock.Kube.Models;

namespace Drydock.Kube.Inventory;

/// <summary>
/// One node as `kubectl get nodes -o wide` shows it, plus roles: what `drydock nodes` prints and what inventory,
/// skew and plan reports reuse. Pure: built from a Node and "now".
/// </summary>
public sealed record NodeSummary(
    string Name, string Roles, string Status, bool Ready, bool Unschedulable,
    string KubeletVersion, string KubeProxyVersion, string OsImage, string KernelVersion, string ContainerRuntime, string InternalIp, string Age)
{
    public const string RoleLabelPrefix = "node-role.kubernetes.io/";
    public const string LegacyRoleLabel = "kubernetes.io/role";

    public static NodeSummary From(Node node, DateTimeOffset now)
    {
        var info = node.Status?.NodeInfo;
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var unschedulable = node.Spec?.Unschedulable == true;
        return new NodeSummary(
            node.Metadata.Name ?? "",
            RolesOf(node),
            StatusOf(ready, unschedulable),
            ready?.Status == "True",
            unschedulable,
            info?.KubeletVersion ?? "",
            info?.KubeProxyVersion ?? "",
            info?.OsImage ?? "",
            info?.KernelVersion ?? "",
            info?.ContainerRuntimeVersion ?? "",
            node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "<none>",
            KubeDuration.Since(node.Metadata.CreationTimestamp, now));
    }

    /// <summary>kubectl's printNode: Ready/NotReady/Unknown, then ",SchedulingDisabled" when cordoned.</summary>
    private static string StatusOf(NodeCondition? ready, bool unschedulable)
    {
        var status = ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady";
        return unschedulable ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>kubectl's findNodeRoles: node-role.kubernetes.io/ROLE labels and the legacy kubernetes.io/role value, sorted.</summary>
    private static string RolesOf(Node node)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length) roles.Add(key[RoleLabelPrefix.Length..]);
            else if (key == LegacyRoleLabel && value.Length > 0) roles.Add(value);
        }
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }
}
