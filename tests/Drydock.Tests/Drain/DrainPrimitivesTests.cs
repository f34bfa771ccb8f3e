using Drydock.Common;
using Drydock.Drain;
using Drydock.Kube.Models;

namespace Drydock.Tests.Drain;

public sealed class DrainPrimitivesTests
{
    public sealed class GoDurationParse
    {
        [Theory]
        [InlineData("12s", 12_000)]
        [InlineData("1m30s", 90_000)]
        [InlineData("1.5h", 5_400_000)]
        [InlineData("500ms", 500)]
        [InlineData("0", 0)]
        [InlineData("0s", 0)]
        public void Should_parse_go_durations(string text, long millis)
        {
            // Given/When a Go duration is parsed
            GoDuration.TryParse(text, out var value, out var error).Should().BeTrue();

            // Then it has the expected length
            error.Should().BeNull();
            value.Should().Be(TimeSpan.FromMilliseconds(millis));
        }

        [Theory]
        [InlineData("5", "time: missing unit in duration \"5\"")]
        [InlineData("abc", "time: invalid duration \"abc\"")]
        [InlineData("5x", "time: unknown unit \"x\" in duration \"5x\"")]
        public void Should_reject_what_kubectl_rejects_with_gos_message(string text, string message)
        {
            // Given/When an invalid duration is parsed, Then Go's error text comes back
            GoDuration.TryParse(text, out _, out var error).Should().BeFalse();
            error.Should().Be(message);
        }

        [Theory]
        [InlineData(12, "12s")]
        [InlineData(90, "1m30s")]
        [InlineData(3600, "1h0m0s")]
        [InlineData(0, "0s")]
        public void Should_format_like_go(int seconds, string text) =>
            GoDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(text);
    }

    public sealed class DryRunParse
    {
        [Theory]
        [InlineData(null, DryRunMode.Client)]
        [InlineData("client", DryRunMode.Client)]
        [InlineData("server", DryRunMode.Server)]
        [InlineData("none", DryRunMode.None)]
        [InlineData("true", DryRunMode.Client)]
        [InlineData("false", DryRunMode.None)]
        public void Should_accept_kubectls_values(string? text, DryRunMode mode)
        {
            DryRunModes.TryParse(text, out var parsed).Should().BeTrue();
            parsed.Should().Be(mode);
        }

        [Fact]
        public void Should_reject_others_with_kubectls_message()
        {
            DryRunModes.TryParse("x", out _).Should().BeFalse();
            DryRunModes.InvalidMessage("x").Should().Be("Invalid dry-run value (x). Must be \"none\", \"server\", or \"client\".");
        }
    }

    public sealed class LabelSelectors
    {
        private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

        [Fact]
        public void Should_match_labels_and_expressions()
        {
            LabelSelectorMatcher.Matches(new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, Labels).Should().BeTrue();
            LabelSelectorMatcher.Matches(new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } }, Labels).Should().BeFalse();
            LabelSelectorMatcher.Matches(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = "In", Values = ["front", "back"] }] }, Labels).Should().BeTrue();
            LabelSelectorMatcher.Matches(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = "NotIn", Values = ["front"] }] }, Labels).Should().BeFalse();
            LabelSelectorMatcher.Matches(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "x", Operator = "DoesNotExist" }] }, Labels).Should().BeTrue();
            LabelSelectorMatcher.Matches(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "x", Operator = "Exists" }] }, Labels).Should().BeFalse();
        }

        [Theory]
        [InlineData("app=web", true)]
        [InlineData("app==web,tier!=db", true)]
        [InlineData("app in (web, api),!legacy", true)]
        [InlineData("environment notin (prod)", true)]
        [InlineData("app", true)]
        [InlineData("", true)]
        [InlineData("app in (web", false)]
        [InlineData("=web", false)]
        [InlineData("app=web=x", false)]
        public void Should_validate_selector_syntax_like_kubectl(string selector, bool valid) =>
            LabelSelectorSyntax.IsValid(selector).Should().Be(valid);

        [Fact]
        public void Should_treat_empty_as_everything_and_null_as_nothing()
        {
            LabelSelectorMatcher.Matches(new LabelSelector(), Labels).Should().BeTrue();
            LabelSelectorMatcher.Matches(null, Labels).Should().BeFalse();
        }
    }

    public sealed class NodeArguments
    {
        [Fact]
        public void Should_accept_names_and_node_slash_name()
        {
            NodeResolver.ParseNames(["n1", "node/n2", "nodes/n3"], null, "drain").Should().Equal("n1", "n2", "n3");
        }

        [Theory]
        [InlineData(new[] { "n1" }, "app=x", "cannot specify both a node name and a --selector option")]
        [InlineData(new string[0], null, "USAGE: drain NODE [flags]; see 'drydock drain --help'")]
        [InlineData(new[] { "pod/web" }, null, "expected resource of type node, got \"/v1, Resource=pods\"")]
        public void Should_reject_bad_arguments_as_usage_errors(string[] args, string? selector, string message)
        {
            var act = () => NodeResolver.ParseNames(args, selector, "drain");
            act.Should().Throw<Drydock.Common.DrydockException>().Where(e => e.Error.Message == message && e.Error.ExitCode == 2);
        }
    }
}
