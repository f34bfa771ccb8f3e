namespace Drydock.Sandbox.Tests.Support;

internal static class Fixtures
{
    public const string HaSnapshotPath = "/work/shared/fixtures/kubeadm-v1.27-ha.json";
    public static string HaSnapshot => File.ReadAllText(HaSnapshotPath);
}
