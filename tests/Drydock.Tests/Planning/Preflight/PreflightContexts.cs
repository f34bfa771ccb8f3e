using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Tests.Planning.Preflight;

/// <summary>A small cluster planned one minor up: the context the integration checks receive (they read only its control-plane nodes).</summary>
internal static class PreflightContexts
{
    public static PreflightContext TwoControlPlanes() => Create(new TestCluster().ControlPlane("cp-1").ControlPlane("cp-2").Worker("w1"));

    public static PreflightContext OneControlPlane() => Create(new TestCluster().ControlPlane("cp-1").Worker("w1"));

    private static PreflightContext Create(TestCluster cluster)
    {
        var snapshot = cluster.Snapshot();
        var current = snapshot.ClusterVersion!;
        var plan = UpgradePlanner.Plan(snapshot, current, [new UpgradeHop(current, KubeVersion.Parse("v1.28.3"))], new UpgradePlanOptions());
        return PreflightContext.Create(snapshot, plan);
    }
}
