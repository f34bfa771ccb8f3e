using Drydock.Kube.Models;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Scheduling;

namespace Drydock.Tests.Planning;

public sealed class SchedulingRulesTests
{
    public static TheoryData<string, Toleration, Taint, bool> Tolerations => new()
    {
        { "exact", new() { Key = "k", Operator = "Equal", Value = "v", Effect = "NoSchedule" }, new() { Key = "k", Value = "v", Effect = "NoSchedule" }, true },
        { "default operator is Equal", new() { Key = "k", Value = "v" }, new() { Key = "k", Value = "v", Effect = "NoExecute" }, true },
        { "wrong value", new() { Key = "k", Value = "x" }, new() { Key = "k", Value = "v", Effect = "NoSchedule" }, false },
        { "exists any value", new() { Key = "k", Operator = "Exists" }, new() { Key = "k", Value = "v", Effect = "NoSchedule" }, true },
        { "empty key exists tolerates all", new() { Operator = "Exists" }, new() { Key = "any", Effect = "NoExecute" }, true },
        { "effect mismatch", new() { Key = "k", Operator = "Exists", Effect = "NoExecute" }, new() { Key = "k", Effect = "NoSchedule" }, false },
        { "empty key Equal matches nothing", new() { Operator = "Equal" }, new() { Key = "k", Effect = "NoSchedule" }, false },
    };

    [Theory, MemberData(nameof(Tolerations))]
    public void Should_match_tolerations_like_the_api(string name, Toleration toleration, Taint taint, bool expected) =>
        NodeFit.Tolerates(toleration, taint).Should().Be(expected, name);

    [Fact]
    public void Should_ignore_prefer_no_schedule_taints()
    {
        NodeFit.ToleratesAll([new Taint { Key = "soft", Effect = "PreferNoSchedule" }], []).Should().BeTrue();
        NodeFit.ToleratesAll([new Taint { Key = "hard", Effect = "NoSchedule" }], []).Should().BeFalse();
    }

    [Fact]
    public void Should_apply_required_node_affinity_terms_ored_and_requirements_anded()
    {
        var pod = new PodState
        {
            Namespace = "ns", Name = "p",
            RequiredNodeAffinity = new NodeSelector
            {
                NodeSelectorTerms =
                [
                    new NodeSelectorTerm { MatchExpressions = [new() { Key = "zone", Operator = "In", Values = ["a", "b"] }, new() { Key = "gpu", Operator = "DoesNotExist" }] },
                    new NodeSelectorTerm { MatchExpressions = [new() { Key = "cores", Operator = "Gt", Values = ["64"] }] },
                ],
            },
        };

        NodeFit.MatchesNode(pod, new Dictionary<string, string> { ["zone"] = "a" }, "n").Should().BeTrue();
        NodeFit.MatchesNode(pod, new Dictionary<string, string> { ["zone"] = "a", ["gpu"] = "1" }, "n").Should().BeFalse();
        NodeFit.MatchesNode(pod, new Dictionary<string, string> { ["cores"] = "128" }, "n").Should().BeTrue();
        NodeFit.MatchesNode(pod, new Dictionary<string, string> { ["zone"] = "c" }, "n").Should().BeFalse();
    }

    [Fact]
    public void Should_match_pdb_selectors_through_the_index_including_expressions()
    {
        // Given pods in two namespaces and PDBs with matchLabels, matchExpressions, an empty and a null selector
        PodState Pod(string ns, string name, params (string, string)[] labels) =>
            new() { Namespace = ns, Name = name, NodeName = "n", Labels = labels.ToDictionary(l => l.Item1, l => l.Item2), Phase = "Running" };
        var pods = new List<PodState>
        {
            Pod("a", "web-1", ("app", "web"), ("tier", "front")), Pod("a", "web-2", ("app", "web"), ("tier", "canary")),
            Pod("a", "db-1", ("app", "db")), Pod("b", "web-1", ("app", "web")),
        };
        PdbState Pdb(string name, LabelSelector? selector) => new() { Namespace = "a", Name = name, Selector = selector };
        var byLabels = Pdb("labels", new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } });
        var byExpression = Pdb("expr", new LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = "NotIn", Values = ["canary"] }],
        });
        var onlyExpression = Pdb("only-expr", new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = "Exists" }] });
        var empty = Pdb("empty", new LabelSelector());
        var none = Pdb("none", null);
        var index = new ClusterIndex(new ClusterSnapshot { Pods = pods, Pdbs = [byLabels, byExpression, onlyExpression, empty, none] });

        // Then each selects what the API would, within its namespace only
        index.PodsOf(byLabels).Select(p => p.Name).Should().Equal("web-1", "web-2");
        index.PodsOf(byExpression).Select(p => p.Name).Should().Equal("web-1");
        index.PodsOf(onlyExpression).Select(p => p.Name).Should().Equal("web-1", "web-2", "db-1");
        index.PodsOf(empty).Should().HaveCount(3);
        index.PodsOf(none).Should().BeEmpty();
        index.PdbsOf(pods[0]).Select(p => p.Name).Should().BeEquivalentTo(["labels", "expr", "only-expr", "empty"]);
    }
}
