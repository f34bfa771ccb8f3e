using System.Text.Json.Nodes;
using Drydock.Common;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Store;

/// <summary>Mutate commits a new version only when the edit changed something, and bumps generation only for spec edits.</summary>
public sealed class MutateCompareTests
{
    private static (ObjectStore Store, JsonObject Deployment) Create()
    {
        var store = new ObjectStore(new ManualTimeProvider());
        var dep = store.Create(ServedResource.Deployments, Obj.Parse(
            """{"metadata":{"name":"d","namespace":"x","labels":{"app":"d"}},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"i:1"}]}}},"status":{"replicas":1}}"""));
        return (store, dep);
    }

    [Fact]
    public void Should_keep_the_stored_version_when_the_edit_rewrites_equal_values()
    {
        var (store, dep) = Create();

        var same = store.Mutate(ServedResource.Deployments, "x", "d", d =>
        {
            d["status"] = new JsonObject { ["replicas"] = 1 };
            d.Spec()!["replicas"] = 1;
        });

        same.Should().BeSameAs(dep);
    }

    [Theory]
    [InlineData("labels", 1)]
    [InlineData("status", 1)]
    [InlineData("added-top-level-field", 1)]
    [InlineData("template", 2)]
    [InlineData("spec-removed", 2)]
    public void Should_commit_a_change_anywhere_and_bump_generation_only_for_the_spec(string edit, long generation)
    {
        var (store, dep) = Create();

        var next = store.Mutate(ServedResource.Deployments, "x", "d", d =>
        {
            switch (edit)
            {
                case "labels": d.Meta()["labels"]!["app"] = "e"; break;
                case "status": d["status"]!["replicas"] = 2; break;
                case "added-top-level-field": d["data"] = "x"; break;
                case "template": d.Spec()!["template"]!["spec"]!["containers"]![0]!["image"] = "i:2"; break;
                case "spec-removed": d.Remove("spec"); break;
            }
        })!;

        next.Should().NotBeSameAs(dep);
        next.O("metadata").L("generation").Should().Be(generation);
        long.Parse(next.O("metadata").S("resourceVersion")!).Should().BeGreaterThan(long.Parse(dep.O("metadata").S("resourceVersion")!));
    }
}
