using System.Runtime.CompilerServices;

namespace Drydock.Sandbox.Tests.Support;

internal static class Fixtures
{
    /// <summary>The repository's copy of shared/fixtures/kubeadm-v1.27-ha.json (CI clones the repo without /work/shared).</summary>
    public static string HaSnapshotPath => Path.GetFullPath(Path.Combine(ThisDir(), "..", "..", "Drydock.Tests", "Planning", "Fixtures", "kubeadm-v1.27-ha.json"));
    public static string HaSnapshot => File.ReadAllText(HaSnapshotPath);

    private static string ThisDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
