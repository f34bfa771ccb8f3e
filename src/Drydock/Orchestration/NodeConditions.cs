using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>Small readers over Node status for the health gates.</summary>
internal static class NodeConditions
{
    public static bool IsReady(this Node n) =>
        n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static string KubeletVersion(this Node n) => n.Status?.NodeInfo?.KubeletVersion ?? "";

    public static bool KubeletAt(this Node n, string version) => SameVersion(n.KubeletVersion(), version);

    public static bool IsCordoned(this Node n) => n.Spec?.Unschedulable == true;

    public static string BootId(this Node n) => n.Status?.NodeInfo?.BootID ?? "";

    /// <summary>"v1.28.4" or "1.28.4" against "1.28.4"; ignores build metadata ("v1.28.4+k3s1").</summary>
    public static bool SameVersion(string actual, string version)
    {
        var a = actual.TrimStart('v');
        var plus = a.IndexOfAny(['+', '-']);
        if (plus >= 0) a = a[..plus];
        return a == version.TrimStart('v');
    }

    public static string Describe(this Node n) =>
        $"Ready={(n.IsReady() ? "True" : "False")}, kubelet {n.KubeletVersion()}{(n.IsCordoned() ? ", cordoned" : "")}";
}
