using Drydock.Kube.Models;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Tests.Planning;

public sealed class PreflightCheckTests
{
    private static async Task<PreflightResult> Run(IPreflightCheck check, ClusterSnapshot snapshot, string to, string maxUnavailable = "1")
    {
        var current = snapshot.ClusterVersion!;
        var target = KubeVersion.Parse(to);
        var hops = target.Equals(current) ? [] : new[] { new UpgradeHop(current, target) };
        var plan = UpgradePlanner.Plan(snapshot, current, hops, new UpgradePlanOptions { MaxUnavailable = BatchSize.Parse(maxUnavailable) });
        return await check.RunAsync(PreflightContext.Create(snapshot, plan));
    }

    public sealed class PdbDrainBlockers
    {
        [Theory]
        [InlineData(2, null, PreflightStatus.Fail, "minAvailable 2 ≥ 2 matching pods")]
        [InlineData(null, 0, PreflightStatus.Fail, "maxUnavailable 0 allows no disruption")]
        [InlineData(null, "0%", PreflightStatus.Fail, "maxUnavailable 0% allows no disruption")]
        [InlineData("100%", null, PreflightStatus.Fail, "minAvailable 100% ≥ 2")]
        [InlineData(1, null, PreflightStatus.Pass, "each allows evictions")]
        [InlineData("50%", null, PreflightStatus.Pass, "each allows evictions")]
        public async Task Should_find_budgets_that_never_allow_an_eviction(object? minAvailable, object? maxUnavailable, PreflightStatus status, string text)
        {
            // Given a two-replica deployment spread over two workers and a PDB
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w1").Worker("w2")
                .Deployment("ns", "app", ["w1", "w2"]).Pdb("ns", "app", "app", ToIntOrString(minAvailable), ToIntOrString(maxUnavailable)).Snapshot();

            // When checked
            var result = await Run(new PdbDrainBlockersCheck(), snapshot, "v1.28.3");

            // Then the verdict and the evidence name the budget and its arithmetic
            result.Status.Should().Be(status);
            (result.Summary + string.Join("\n", result.Evidence)).Should().Contain(text);
        }

        [Fact]
        public async Task Should_warn_when_every_healthy_pod_is_on_one_node()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w1").Worker("w2")
                .Deployment("ns", "app", ["w1", "w1", "w1"]).Pdb("ns", "app", "app", maxUnavailable: 1).Snapshot();

            var result = await Run(new PdbDrainBlockersCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Warn);
            result.Evidence.Should().ContainSingle().Which.Should().Contain("all 3 healthy pods run on w1");
        }

        [Fact]
        public async Task Should_block_unmanaged_pods_of_a_budget_on_one_node()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w1")
                .BarePod("ns", "a", "w1").BarePod("ns", "b", "w1").Snapshot();
            snapshot = snapshot with
            {
                Pods = snapshot.Pods.Select(p => p.Namespace == "ns" ? p with { Labels = new Dictionary<string, string> { ["app"] = "x" } } : p).ToList(),
                Pdbs = [new PdbState { Namespace = "ns", Name = "x", Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } }, MaxUnavailable = 1 }],
            };

            var result = await Run(new PdbDrainBlockersCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence[0].Should().Contain("no controller recreates them elsewhere");
        }

        private static IntOrString? ToIntOrString(object? o) => o switch { int i => IntOrString.FromInt(i), string s => IntOrString.FromString(s), _ => null };
    }

    public sealed class Skew
    {
        [Fact]
        public async Task Should_fail_when_kubelets_would_fall_four_minors_behind_during_the_plan()
        {
            // Given a v1.28 control plane with a worker kubelet at v1.25 (three behind: allowed today)
            var snapshot = new TestCluster("v1.28.9").ControlPlane("cp").Worker("old", kubelet: "v1.25.16").Worker("new").Snapshot();
            (await Run(new SkewNowCheck(), snapshot, "v1.29.4")).Status.Should().Be(PreflightStatus.Pass);

            // When planning v1.29: after the first apply the apiserver is four minors ahead of that kubelet
            var result = await Run(new SkewDuringPlanCheck(), snapshot, "v1.29.4");

            // Then the step and the rule are named
            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence.Should().HaveCount(2).And.OnlyContain(e => e.StartsWith("hop 1 (v1.28.9 → v1.29.4), after step 1 (cp: kubeadm upgrade apply v1.29.4): "));
            result.Evidence[0].Should().EndWith("kubelet v1.25.16 (e.g. on old) vs kube-apiserver v1.29.4 on cp: kubelet may be up to three minor versions older than kube-apiserver");
            // kubeadm ≥ 1.28 upgrades kube-proxy once the (only) control plane is done: four minors ahead of that kubelet too
            result.Evidence[1].Should().EndWith("kube-proxy v1.29.4 (e.g. on old) vs kubelet v1.25.16 on old: kube-proxy may be up to three minor versions older or newer than the kubelet it runs alongside");
        }

        [Fact]
        public async Task Should_report_violations_that_exist_now()
        {
            var snapshot = new TestCluster("v1.28.9").ControlPlane("cp").Worker("w", kubelet: "v1.29.1").Snapshot();

            var result = await Run(new SkewNowCheck(), snapshot, "v1.28.9");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence.Should().ContainSingle().Which.Should().Contain("kubelet must not be newer than kube-apiserver");
        }

        [Fact]
        public async Task Should_keep_an_ha_plan_within_policy_by_upgrading_kubelets_after_every_apiserver()
        {
            var snapshot = new TestCluster("v1.28.9").ControlPlane("a").ControlPlane("b").Worker("w").Snapshot();

            var result = await Run(new SkewDuringPlanCheck(), snapshot, "v1.29.4");

            result.Status.Should().Be(PreflightStatus.Pass);
        }
    }

    public sealed class Cluster
    {
        [Fact]
        public async Task Should_fail_on_not_ready_nodes_and_warn_on_cordoned_ones()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w1", ready: false).Worker("w2", unschedulable: true).Snapshot();

            var result = await Run(new NodesReadyCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Summary.Should().Be("1 of 3 nodes NotReady");
            result.Evidence.Should().Equal("w1: NotReady", "w2: SchedulingDisabled (cordoned before the upgrade; left cordoned)");
        }

        [Fact]
        public async Task Should_fail_when_readyz_names_a_failing_check()
        {
            // Given a live cluster whose pods all look Ready but whose /readyz?verbose fails on etcd
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w").Snapshot() with
            {
                Live = true,
                ApiServerReadyz = ApiHealth.Parse("readyz", 500, "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n"),
            };

            var result = await Run(new ApiServerCheck(), snapshot, "v1.28.3");

            // Then the check fails naming etcd, and the remedy is the command that shows the same
            result.Status.Should().Be(PreflightStatus.Fail);
            result.Summary.Should().Be("the API server is not ready: etcd failing");
            result.Evidence.Should().Contain("GET /readyz?verbose answered 500: etcd failed: reason withheld");
            result.Remedy.Should().Contain("kubectl get --raw=/readyz?verbose");
        }

        [Fact]
        public async Task Should_pass_with_readyz_ok_and_say_so()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Snapshot() with
            {
                Live = true, ApiServerReadyz = ApiHealth.Parse("readyz", 200, "[+]ping ok\n[+]etcd ok\nreadyz check passed\n"),
            };

            var result = await Run(new ApiServerCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Pass);
            result.Evidence.Should().Contain("GET /readyz?verbose: ok (2 checks passed)");
        }

        [Fact]
        public async Task Should_fail_on_a_missing_static_pod()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Snapshot();
            snapshot = snapshot with { ControlPlane = [snapshot.ControlPlane[0] with { KubeScheduler = null }] };

            var result = await Run(new ControlPlanePodsCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence.Should().Equal("cp: no kube-scheduler static pod");
        }

        [Fact]
        public async Task Should_warn_about_pods_that_need_drain_flags_with_kubectls_words()
        {
            var snapshot = new TestCluster().ControlPlane("cp").Worker("w").BarePod("default", "debug", "w")
                .Deployment("ns", "cache", ["w"], emptyDir: true).Snapshot();

            var result = await Run(new DrainFlagsCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Warn);
            result.Evidence.Should().Equal(
                "default/debug on w: cannot delete Pods that declare no controller (use --force to override)",
                "ns/cache-5d8f7c-0 on w: cannot delete Pods with local storage (use --delete-emptydir-data to override)");
        }

        [Fact]
        public async Task Should_fail_on_objects_of_apis_removed_by_the_target()
        {
            var snapshot = new TestCluster("v1.28.4").ControlPlane("cp")
                .Other("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "exempt")
                .Other("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "global-default").Snapshot();

            var result = await Run(new RemovedApisCheck(), snapshot, "v1.29.2");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence.Should().Equal("1 FlowSchema served as flowcontrol.apiserver.k8s.io/v1beta2 (e.g. exempt): removed in v1.29, use flowcontrol.apiserver.k8s.io/v1");
        }

        [Fact]
        public async Task Should_place_pods_respecting_taints_and_selectors()
        {
            // Given a GPU pod whose only other home is tainted without a toleration
            var snapshot = new TestCluster().ControlPlane("cp")
                .Worker("gpu-1", labels: new() { ["gpu"] = "true" })
                .Worker("gpu-2", labels: new() { ["gpu"] = "true" }, taints: [new Taint { Key = "dedicated", Value = "ml", Effect = "NoSchedule" }])
                .Worker("cpu-1")
                .Deployment("ml", "trainer", ["gpu-1"], nodeSelector: new() { ["gpu"] = "true" }).Snapshot();

            var result = await Run(new DrainCapacityCheck(), snapshot, "v1.28.3");

            result.Status.Should().Be(PreflightStatus.Fail);
            result.Evidence.Should().Contain(e => e.Contains("ml/trainer-5d8f7c-0") && e.Contains("no other schedulable node matches"));
        }
    }
}
