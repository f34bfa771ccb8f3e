using Drydock.Versions;

namespace Drydock.Planning.Upgrade;

/// <summary>
/// The etcd and CoreDNS versions kubeadm installs per Kubernetes minor (constants.go SupportedEtcdVersion /
/// CoreDNSVersion across releases; see research/kubeadm-upgrade.md §5). kubeadm never downgrades etcd
/// ("Won't downgrade etcd, instead just continue"), so the target is the newer of the table and what runs.
/// Minors beyond the table take the nearest entry, as kubeadm does (with a warning there).
/// </summary>
public static class AddonVersions
{
    private static readonly (int Minor, string Etcd)[] Etcd =
    [
        (22, "3.5.1-0"), (23, "3.5.1-0"), (24, "3.5.3-0"), (25, "3.5.6-0"), (26, "3.5.6-0"),
        (27, "3.5.10-0"), (28, "3.5.10-0"), (29, "3.5.15-0"), (30, "3.5.15-0"),
        (31, "3.5.24-0"), (32, "3.5.24-0"), (33, "3.5.24-0"), (34, "3.5.24-0"), (35, "3.6.6-0"),
    ];

    private static readonly (int Minor, string CoreDns)[] CoreDns =
    [
        (22, "v1.8.4"), (23, "v1.8.6"), (24, "v1.8.6"), (25, "v1.9.3"), (26, "v1.9.3"), (27, "v1.10.1"), (28, "v1.10.1"),
        (29, "v1.11.1"), (30, "v1.11.1"), (31, "v1.11.3"), (32, "v1.11.3"), (33, "v1.12.0"),
    ];

    public static string EtcdFor(KubeVersion target, string? current)
    {
        var table = Nearest(Etcd, target.Minor);
        return current is not null && CompareEtcd(current, table) > 0 ? current : table;
    }

    public static string CoreDnsFor(KubeVersion target, string? current)
    {
        var table = Nearest(CoreDns, target.Minor);
        var t = KubeVersion.TryParse(table, out _);
        var c = current is null ? null : KubeVersion.TryParse(current, out _);
        return c is not null && t is not null && c > t ? current! : table;
    }

    private static string Nearest((int Minor, string V)[] table, int minor) =>
        table.MinBy(e => Math.Abs(e.Minor - minor) * 2 + (e.Minor > minor ? 1 : 0)).V;

    /// <summary>etcd tags look like "3.5.12-0": the numeric part orders them; the image revision breaks ties.</summary>
    internal static int CompareEtcd(string a, string b)
    {
        var va = KubeVersion.TryParse(a, out _);
        var vb = KubeVersion.TryParse(b, out _);
        if (va is null || vb is null) return string.CompareOrdinal(a, b);
        var c = va.CompareTo(vb);
        return c != 0 ? c : string.CompareOrdinal(va.PackageRevision ?? "", vb.PackageRevision ?? "");
    }
}
