using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "prod" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("env in (prod,staging)", true)]
    [InlineData("env notin (prod)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing,app in (web)", true)]
    public void Should_match_label_selectors_like_the_apiserver(string selector, bool matches) =>
        LabelSelectorExpr.Parse(selector).Matches(Labels).Should().Be(matches);

    [Theory]
    [InlineData("spec.nodeName=n1", true)]
    [InlineData("spec.nodeName==n1", true)]
    [InlineData("spec.nodeName!=n1", false)]
    [InlineData("status.phase=Running,metadata.namespace=shop", true)]
    [InlineData("metadata.name=other", false)]
    public void Should_match_pod_field_selectors(string selector, bool matches)
    {
        var pod = Obj.Parse("""{"metadata":{"name":"p","namespace":"shop"},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}""");
        FieldSelectorExpr.Parse(selector, "pods").Matches(pod).Should().Be(matches);
    }

    [Fact]
    public void Should_reject_an_unsupported_field() =>
        FluentActions.Invoking(() => FieldSelectorExpr.Parse("spec.foo=1", "pods")).Should().Throw<FormatException>().WithMessage("field label not supported: spec.foo");
}
