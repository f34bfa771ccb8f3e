using Drydock.Kube.Models;
using Drydock.Planning;
using Drydock.Planning.Inventory;
using Drydock.Planning.Reporting;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Tests.Planning;

/// <summary>Golden files of the `drydock plan` text for three scenarios: PDB-blocked fixture, capacity shortfall, HA.</summary>
public sealed class PlanGoldenTests
{
    private static async Task<(PlanReport Report, string Text)> Plan(ClusterSnapshot snapshot, string to, string maxUnavailable = "1")
    {
        var report = await PlanReportBuilder.BuildAsync(snapshot, new PlanRequest
        {
            To = KubeVersion.Parse(to),
            PlanOptions = new UpgradePlanOptions { MaxUnavailable = BatchSize.Parse(maxUnavailable) },
        });
        return (report, string.Join('\n', PlanTextRenderer.Render(report).Select(l => l.Text)) + "\n");
    }

    [Fact]
    public async Task Should_render_the_fixture_plan_blocked_by_the_payments_pdb()
    {
        // Given the realistic v1.27 HA fixture
        var snapshot = SnapshotLoader.LoadFile(ApprovedFile.Beside("Fixtures/kubeadm-v1.27-ha.json"));

        // When planned to v1.28.15
        var (report, text) = await Plan(snapshot, "v1.28.15");

        // Then the plan is blocked by shop/payments-pdb only, and the text matches the approved file
        report.Blocked.Should().BeTrue();
        report.Preflight.Where(p => p.Status == Drydock.Planning.Preflight.PreflightStatus.Fail).Select(p => p.Check).Should().Equal("pdb-drain-blockers");
        ApprovedFile.Verify(text, "plan-fixture-v1.28.15");
    }

    [Fact]
    public async Task Should_render_a_capacity_shortfall()
    {
        // Given two 2-CPU workers each 75 % full, and a pod pinned to worker-2 by a label only it has
        var cluster = new TestCluster("v1.28.4")
            .ControlPlane("cp-1")
            .Worker("worker-1", cpu: "2", memory: "4Gi")
            .Worker("worker-2", cpu: "2", memory: "4Gi", labels: new() { ["disk"] = "ssd" })
            .Deployment("shop", "api", ["worker-1", "worker-2"], cpu: "1500m", memory: "1Gi")
            .Deployment("shop", "db", ["worker-2"], cpu: "100m", memory: "256Mi", nodeSelector: new() { ["disk"] = "ssd" });

        // When planned
        var (report, text) = await Plan(cluster.Snapshot(), "v1.29.2");

        // Then the single control plane is a warning and both worker drains fall short
        report.Blocked.Should().BeTrue();
        report.Preflight.Single(p => p.Check == "control-plane-count").Status.Should().Be(Drydock.Planning.Preflight.PreflightStatus.Warn);
        report.Preflight.Single(p => p.Check == "drain-capacity").Summary.Should().Be("2 of 3 drain(s) leave 3 pod(s) without a node");
        ApprovedFile.Verify(text, "plan-capacity-shortfall");
    }

    [Fact]
    public async Task Should_render_an_ha_plan_in_batches_that_can_run()
    {
        // Given three control planes and four workers with room to spare, and a PDB that allows one disruption
        var cluster = new TestCluster("v1.29.6")
            .ControlPlane("cp-a").ControlPlane("cp-b").ControlPlane("cp-c")
            .Worker("w-1").Worker("w-2").Worker("w-3").Worker("w-4")
            .Deployment("web", "front", ["w-1", "w-2", "w-3", "w-4"])
            .Pdb("web", "front", "front", maxUnavailable: 1);

        // When planned with two workers at a time
        var (report, text) = await Plan(cluster.Snapshot(), "v1.30.3", "50%");

        // Then nothing blocks, the order is apply, node, node, kubelets, two worker batches
        report.Blocked.Should().BeFalse();
        report.Plan.Hops.Single().Steps.Select(s => s.Kind).Should().Equal(
            NodeStepKind.ControlPlaneApply, NodeStepKind.ControlPlaneNode, NodeStepKind.ControlPlaneNode,
            NodeStepKind.ControlPlaneKubelet, NodeStepKind.ControlPlaneKubelet, NodeStepKind.ControlPlaneKubelet,
            NodeStepKind.WorkerBatch, NodeStepKind.WorkerBatch);
        report.NextCommand.Should().Be("drydock upgrade --to v1.30.3 --max-unavailable 50%");
        ApprovedFile.Verify(text, "plan-ha-batches");
    }
}
