namespace Drydock.Sandbox.Kubeadm;

/// <summary>What the simulated package repositories offer and what kubeadm deploys per Kubernetes minor
/// (etcd and CoreDNS image tags from kubeadm's constants of that era; see research/kubeadm-upgrade.md §5).</summary>
internal static class KubeadmCatalog
{
    /// <summary>Latest patch of each minor the simulated pkgs.k8s.io knows (older minors than listed: 10).</summary>
    private static readonly Dictionary<int, int> LatestPatch = new() { [27] = 16, [28] = 15, [29] = 14, [30] = 14, [31] = 13, [32] = 9, [33] = 5, [34] = 1 };

    public static int Latest(int minor) => LatestPatch.GetValueOrDefault(minor, 10);

    /// <summary>Versions the per-minor repository offers, oldest first.</summary>
    public static IReadOnlyList<KubeVersion> Offered(int major, int minor) =>
        Enumerable.Range(0, Latest(minor) + 1).Select(p => new KubeVersion(major, minor, p)).ToList();

    public static string EtcdFor(int minor) => minor switch
    {
        <= 29 => "3.5.12-0",
        30 => "3.5.15-0",
        <= 33 => "3.5.21-0",
        _ => "3.6.1-1",
    };

    public static string CoreDnsFor(int minor) => minor switch
    {
        <= 28 => "v1.10.1",
        <= 30 => "v1.11.1",
        <= 32 => "v1.11.3",
        _ => "v1.12.0",
    };

    /// <summary>How far kubelets may lag the new control plane before kubeadm refuses (N-3 from kubeadm 1.29, N-1 before).</summary>
    public static int KubeletSkew(int targetMinor) => targetMinor >= 29 ? 3 : 1;
}
