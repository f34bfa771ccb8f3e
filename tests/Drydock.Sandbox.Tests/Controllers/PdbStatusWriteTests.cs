using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The disruption controller writes a budget's new status without copying the old one: the stored budget must
/// read exactly as a copy of the old version with only its status (and resourceVersion) replaced.</summary>
public sealed class PdbStatusWriteTests
{
    [Fact]
    public async Task Should_keep_every_field_but_the_status_and_the_status_in_its_place()
    {
        // Given shop/web's budget as stored, with a field of its own after the status
        using var v = new VirtualCluster();
        var before = v.Cluster.Store.Get(ServedResource.Pdbs, "shop", "web")!;
        var edited = (JsonObject)before.DeepClone();
        edited["extra"] = new JsonObject { ["kept"] = true };
        edited.Meta().Remove("resourceVersion");
        before = v.Cluster.Store.Replace(ServedResource.Pdbs, edited);

        // When an eviction spends its budget and the controller recounts it
        await v.Client.EvictAsync("shop", v.Pods("web")[0].Metadata.Name!);
        var after = v.Cluster.Store.Get(ServedResource.Pdbs, "shop", "web")!;

        // Then the status changed, in place, and nothing else did
        after.Should().NotBeSameAs(before);
        after.Select(p => p.Key).Should().Equal(before.Select(p => p.Key));
        after.Status().L("disruptionsAllowed").Should().Be(0);
        foreach (var (key, value) in before.Where(p => p.Key is not ("status" or "metadata")))
            JsonNode.DeepEquals(after[key], value).Should().BeTrue(key);
        var (afterMeta, beforeMeta) = ((JsonObject)after.Meta().DeepClone(), (JsonObject)before.Meta().DeepClone());
        afterMeta.Remove("resourceVersion");
        beforeMeta.Remove("resourceVersion");
        JsonNode.DeepEquals(afterMeta, beforeMeta).Should().BeTrue();
        long.Parse(after.Meta().S("resourceVersion")!).Should().BeGreaterThan(long.Parse(before.Meta().S("resourceVersion")!));
    }

    [Fact]
    public async Task Should_share_the_conditions_when_a_recount_moves_only_the_counts()
    {
        // Given shop/web's budget (3 pods, maxUnavailable 1) and one pod evicted: no disruption allowed now
        using var v = new VirtualCluster();
        await v.Client.EvictAsync("shop", v.Pods("web").Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).First());
        var before = v.Cluster.Store.Get(ServedResource.Pdbs, "shop", "web")!;
        before.Status().L("disruptionsAllowed").Should().Be(0);

        // When another web pod stops being ready (the count moves, disruptionsAllowed stays 0)
        var other = v.Pods("web").Where(VirtualCluster.Ready).Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).First();
        v.Cluster.Store.Mutate(ServedResource.Pods, "shop", other, p => p["status"]!["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "Ready", ["status"] = "False" }));
        v.Cluster.RunDue();
        var after = v.Cluster.Store.Get(ServedResource.Pdbs, "shop", "web")!;

        // Then the recount is written, and its conditions are the stored ones, not a rebuilt copy
        after.Should().NotBeSameAs(before);
        after.Status().L("currentHealthy").Should().Be(before.Status().L("currentHealthy") - 1);
        after.Status()!["conditions"].Should().BeSameAs(before.Status()!["conditions"]);
    }

    [Fact]
    public async Task Should_write_a_budget_once_per_accepted_eviction_and_still_refuse_the_next()
    {
        // Given shop/web's budget (3 pods, maxUnavailable 1: one disruption allowed), its changes recorded
        using var v = new VirtualCluster();
        var writes = new List<JsonObject>();
        v.Cluster.Store.Changed += c => { if (c.Resource == ServedResource.Pdbs && c.Object.Name() == "web") writes.Add(c.Object); };
        var names = v.Pods("web").Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).ToList();

        // When one pod is evicted, then another at once
        await v.Client.EvictAsync("shop", names[0]);
        var second = async () => await v.Client.EvictAsync("shop", names[1]);

        // Then the budget was written once, as the recount sees it (no disruption left, the terminating pod not listed
        // as disrupted), and the second eviction is refused with 429
        writes.Should().ContainSingle();
        writes[0].Status().L("disruptionsAllowed").Should().Be(0);
        writes[0].Status().L("currentHealthy").Should().Be(2);
        writes[0].Status().O("disruptedPods").Should().BeNull();
        (await second.Should().ThrowAsync<Drydock.Kube.KubeApiException>()).Which.IsTooManyRequests.Should().BeTrue();
        writes.Should().ContainSingle();
    }

    [Fact]
    public async Task Should_share_the_conditions_of_budgets_that_flip_in_the_same_second_only()
    {
        // Given shop/web and kube-system/coredns, each allowing one disruption
        using var v = new VirtualCluster();
        var web = v.Pods("web").Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).First();
        var dns = v.Cluster.Objects<Drydock.Kube.Models.Pod>("kube-system").Where(p => p.Metadata.Labels?.GetValueOrDefault("k8s-app") == "kube-dns")
            .Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).First();
        var db = v.Pods("db").Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).First();

        // When one pod of each is evicted in the same second, and one of data/db's a minute later
        JsonNode Conditions(string ns, string name) => v.Cluster.Store.Get(ServedResource.Pdbs, ns, name)!.Status()!["conditions"]!;
        await v.Client.EvictAsync("shop", web);
        await v.Client.EvictAsync("kube-system", dns);
        var (webConditions, dnsConditions) = (Conditions("shop", "web"), Conditions("kube-system", "coredns"));
        v.Advance(60);
        await v.Client.EvictAsync("data", db);
        var dbConditions = Conditions("data", "db");

        // Then the two that flipped together hold one conditions array; the later one its own, stamped a minute later
        webConditions.Should().BeSameAs(dnsConditions);
        webConditions[0]!["status"]!.GetValue<string>().Should().Be("False");
        dbConditions.Should().NotBeSameAs(webConditions);
        dbConditions[0]!["status"]!.GetValue<string>().Should().Be("False");
        DateTimeOffset.Parse(dbConditions[0]!["lastTransitionTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().Be(DateTimeOffset.Parse(webConditions[0]!["lastTransitionTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).AddSeconds(60));
    }
}
