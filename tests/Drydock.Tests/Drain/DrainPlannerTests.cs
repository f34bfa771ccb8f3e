using Drydock.Drain;
using Drydock.Kube.Models;
using static Drydock.Tests.Drain.TestPods;

namespace Drydock.Tests.Drain;

public sealed class DrainPlannerTests
{
    /// <summary>One named case: pods, DaemonSet lookups, flags → expected evicted pods, error lines, warning line.</summary>
    public sealed record Case(string Name, Pod[] Pods, DrainOptions Options, string[] Evicted, string[] Errors, string? Warning,
        Dictionary<string, DaemonSetLookup>? DaemonSets = null)
    {
        public override string ToString() => Name;
    }

    private static readonly DrainOptions None = new();
    private static readonly Dictionary<string, DaemonSetLookup> DsGone = new() { ["kube-system/proxy"] = DaemonSetLookup.NotFound("daemonsets.apps \"proxy\" not found") };
    private static readonly Dictionary<string, DaemonSetLookup> DsForbidden = new() { ["kube-system/proxy"] = DaemonSetLookup.Failed("daemonsets.apps \"proxy\" is forbidden") };
    private static Pod Ds(string phase = "Running") => Pod("kube-system", "proxy-x", "DaemonSet", "proxy", phase: phase);

    public static TheoryData<Case> Cases => new()
    {
        new("replicated pod is evicted", [Pod("default", "web-1")], None, ["default/web-1"], [], null),
        new("DaemonSet pod without --ignore-daemonsets refuses", [Ds()], None, [],
            ["cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/proxy-x"], null),
        new("DaemonSet pod with --ignore-daemonsets stays with a warning", [Ds()], new() { IgnoreDaemonSets = true }, [], [],
            "ignoring DaemonSet-managed Pods: kube-system/proxy-x"),
        new("orphaned DaemonSet pod without --force refuses with the API error", [Ds()], new() { IgnoreDaemonSets = true }, [],
            ["cannot delete daemonsets.apps \"proxy\" not found: kube-system/proxy-x"], null, DsGone),
        // kubectl defect: the "not found" warning is overwritten by the last filter's status and never printed.
        new("orphaned DaemonSet pod with --force is evicted and the warning is kept", [Ds()], new() { Force = true }, ["kube-system/proxy-x"], [],
            "daemonsets.apps \"proxy\" not found: kube-system/proxy-x", DsGone),
        new("DaemonSet lookup failure refuses even with both flags", [Ds()], new() { Force = true, IgnoreDaemonSets = true }, [],
            ["cannot delete daemonsets.apps \"proxy\" is forbidden: kube-system/proxy-x"], null, DsForbidden),
        new("finished DaemonSet pod is removed", [Ds("Succeeded")], None, ["kube-system/proxy-x"], [], null),
        new("mirror pod is skipped silently whatever else is true", [Pod("kube-system", "etcd-n1", null, emptyDir: true, mirror: true)], None, [], [], null),
        new("emptyDir pod without --delete-emptydir-data refuses", [Pod("default", "cache", emptyDir: true)], None, [],
            ["cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache"], null),
        // kubectl defect: "deleting Pods with local storage" is lost (last status wins).
        new("emptyDir pod with --delete-emptydir-data is evicted with its warning", [Pod("default", "cache", emptyDir: true)],
            new() { DeleteEmptyDirData = true }, ["default/cache"], [], "deleting Pods with local storage: default/cache"),
        new("finished emptyDir pod goes without ceremony", [Pod("default", "cache", emptyDir: true, phase: "Failed")], None, ["default/cache"], [], null),
        // kubectl 1.30–1.35 prints "cannot delete cannot delete Pods that declare no controller" (kubernetes#135817).
        new("naked pod without --force refuses, prefix once", [Pod("default", "naked", null)], None, [],
            ["cannot delete Pods that declare no controller (use --force to override): default/naked"], null),
        new("naked pod with --force is evicted with a warning", [Pod("default", "naked", null)], new() { Force = true }, ["default/naked"], [],
            "deleting Pods that declare no controller: default/naked"),
        new("naked emptyDir pod with --force alone refuses on local storage", [Pod("default", "naked", null, emptyDir: true)], new() { Force = true }, [],
            ["cannot delete Pods with local storage (use --delete-emptydir-data to override): default/naked"], null),
        new("naked emptyDir pod with both flags shows both warnings", [Pod("default", "naked", null, emptyDir: true)],
            new() { Force = true, DeleteEmptyDirData = true }, ["default/naked"], [],
            "deleting Pods with local storage: default/naked; deleting Pods that declare no controller: default/naked"),
        new("ownerRef without controller: true counts as no controller", [Pod("default", "adopted", controller: false)], None, [],
            ["cannot delete Pods that declare no controller (use --force to override): default/adopted"], null),
        new("finished naked pod goes", [Pod("default", "job-x", null, phase: "Succeeded")], None, ["default/job-x"], [], null),
        new("StatefulSet, Job and custom controllers are evicted", [Pod("db", "db-0", "StatefulSet"), Pod("batch", "j-1", "Job"), Pod("x", "c-1", "Rollout")], None,
            ["batch/j-1", "db/db-0", "x/c-1"], [], null),
        new("Pending pod with a controller gets no exemption", [Pod("default", "pending", phase: "Pending")], None, ["default/pending"], [], null),
        new("terminating pod is evicted again and waited for without the skip flag", [Pod("default", "term", deleted: Now.AddSeconds(-60))], None, ["default/term"], [], null),
        new("pod terminating longer than --skip-wait-for-delete-timeout is skipped silently, even a naked one",
            [Pod("default", "stuck", null, deleted: Now.AddSeconds(-60))], new() { SkipWaitForDeleteTimeoutSeconds = 30 }, [], [], null),
        new("pod terminating for less than the skip timeout is filtered as usual",
            [Pod("default", "stuck", null, deleted: Now.AddSeconds(-10))], new() { SkipWaitForDeleteTimeoutSeconds = 30 }, [],
            ["cannot delete Pods that declare no controller (use --force to override): default/stuck"], null),
        new("errors are grouped by message in filter order, every pod listed sorted",
            [Pod("b", "naked2", null), Ds(), Pod("a", "naked1", null), Pod("default", "cache", emptyDir: true), Pod("default", "ok")], None, ["default/ok"],
            ["cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/proxy-x",
             "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache",
             "cannot delete Pods that declare no controller (use --force to override): a/naked1, b/naked2"], null),
        new("kubeadm control-plane node with every flag", [Pod("kube-system", "kube-apiserver-n1", null, mirror: true), Ds(),
            Pod("kube-system", "coredns-1"), Pod("default", "naked", null)], new() { IgnoreDaemonSets = true, Force = true },
            ["default/naked", "kube-system/coredns-1"], [],
            "ignoring DaemonSet-managed Pods: kube-system/proxy-x; deleting Pods that declare no controller: default/naked"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_classify_pods_like_kubectl_and_keep_every_warning(Case c)
    {
        // Given a node snapshot with these pods and DaemonSet lookups
        var snapshot = new NodeDrainSnapshot { NodeName = "n1", Pods = c.Pods, Now = Now, DaemonSets = c.DaemonSets ?? new() };

        // When the drain is planned with these flags
        var plan = DrainPlanner.Plan(snapshot, c.Options);

        // Then the evicted set (candidates; with any error nothing is evicted), the error lines and the warning line match
        plan.ToEvict.Select(p => PodRef.Of(p).ToString()).Should().Equal(c.Evicted);
        plan.Errors.Select(e => e.ErrorText).Should().Equal(c.Errors);
        plan.WarningText.Should().Be(c.Warning);
        plan.CanProceed.Should().Be(c.Errors.Length == 0);
        plan.Errors.Should().NotContain(e => e.ErrorText.Contains("cannot delete cannot delete"));
    }

    [Fact]
    public void Should_aggregate_several_error_groups_in_brackets_like_go()
    {
        // Given a DaemonSet pod and a naked pod
        var snapshot = new NodeDrainSnapshot { NodeName = "n1", Pods = [Ds(), Pod("default", "naked", null)], Now = Now };

        // When planned without flags
        var plan = DrainPlanner.Plan(snapshot, new DrainOptions());

        // Then the combined error reads as kubectl's aggregate
        plan.ErrorText.Should().Be("[cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/proxy-x, " +
                                   "cannot delete Pods that declare no controller (use --force to override): default/naked]");
    }

    [Fact]
    public void Should_run_caller_filters_after_the_built_in_ones()
    {
        // Given a filter that protects pods labelled keep=true
        var keep = new DrainFilter("keep", (pod, _) => pod.Metadata.Labels?.GetValueOrDefault("keep") == "true"
            ? PodVerdict.Block("pods marked keep=true (remove the label to drain)") : PodVerdict.Evict);
        var pods = new[] { Pod("default", "a", labels: new Dictionary<string, string> { ["keep"] = "true" }), Pod("default", "b") };

        // When planned with it appended
        var plan = DrainPlanner.Plan(new NodeDrainSnapshot { NodeName = "n1", Pods = pods, Now = Now }, new DrainOptions { AdditionalFilters = [keep] });

        // Then the caller's verdict counts like a built-in one
        plan.ErrorText.Should().Be("cannot delete pods marked keep=true (remove the label to drain): default/a");
        DrainFilters.For(new DrainOptions { AdditionalFilters = [keep] }).Select(f => f.Name)
            .Should().Equal("skipDeleted", "daemonSet", "mirror", "localStorage", "unreplicated", "keep");
    }

    [Fact]
    public void Should_record_why_each_pod_stays()
    {
        // Given a mirror pod and an ignored DaemonSet pod
        var snapshot = new NodeDrainSnapshot { NodeName = "n1", Pods = [Pod("kube-system", "etcd-n1", null, mirror: true), Ds()], Now = Now };

        // When planned with --ignore-daemonsets
        var plan = DrainPlanner.Plan(snapshot, new DrainOptions { IgnoreDaemonSets = true });

        // Then each skipped pod names its filter and reason
        plan.Skipped.Should().BeEquivalentTo(new[]
        {
            new SkippedPod(new PodRef("kube-system", "etcd-n1", "uid-kube-system-etcd-n1"), "mirror", null),
            new SkippedPod(new PodRef("kube-system", "proxy-x", "uid-kube-system-proxy-x"), "daemonSet", "ignoring DaemonSet-managed Pods"),
        });
    }
}
