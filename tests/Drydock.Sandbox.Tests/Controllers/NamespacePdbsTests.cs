using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>The namespace's PDB index must offer every PDB whose selector can match a pod's labels — after any mix of
/// budgets added, re-selected and removed — so that testing the candidates' selectors finds what testing them all would.</summary>
public sealed class NamespacePdbsTests
{
    [Fact]
    public void Should_offer_every_matching_pdb_after_random_sets_and_removes()
    {
        var rng = new Random(3);
        var index = new NamespacePdbs();
        var model = new Dictionary<string, LabelSelectorExpr>();
        string[] apps = ["a", "b", "c"];
        string[] tiers = ["web", "db"];
        for (var step = 0; step < 3_000; step++)
        {
            ChangeABudget(rng, index, model);
            var labels = new JsonObject { ["app"] = apps[rng.Next(apps.Length)], ["pod-template-hash"] = "h" };
            if (rng.Next(2) == 0) labels["tier"] = tiers[rng.Next(tiers.Length)];

            var offered = index.Candidates(labels).Where(c => c.Selector.Matches(labels)).Select(c => c.Uid).ToHashSet();
            offered.Should().BeEquivalentTo(model.Where(m => m.Value.Matches(labels)).Select(m => m.Key), $"step {step}");
            index.Candidates(null).Select(c => c.Uid).Should().BeEquivalentTo(model.Keys);
            index.Count.Should().Be(model.Count);
        }
    }

    [Fact]
    public void Should_answer_what_a_labels_object_matches_from_the_current_budgets_when_it_asks_again()
    {
        // The same labels objects ask again and again (a ReplicaSet's pods share theirs) while budgets come and go:
        // the remembered answer must never outlive a change of the namespace's budgets.
        var rng = new Random(5);
        var index = new NamespacePdbs();
        var model = new Dictionary<string, LabelSelectorExpr>();
        var pool = new List<JsonObject>();
        foreach (var app in new[] { "a", "b", "c" })
        {
            pool.Add(new JsonObject { ["app"] = app, ["pod-template-hash"] = "h" });
            foreach (var tier in new[] { "web", "db" }) pool.Add(new JsonObject { ["app"] = app, ["tier"] = tier });
        }
        for (var step = 0; step < 3_000; step++)
        {
            if (rng.Next(3) == 0) ChangeABudget(rng, index, model);
            var labels = pool[rng.Next(pool.Count)];

            var matching = index.Matching(labels).Select(m => m.Uid).ToList();
            matching.Should().BeEquivalentTo(model.Where(m => m.Value.Matches(labels)).Select(m => m.Key), $"step {step}");
            matching.Should().Equal(index.Candidates(labels).Where(c => c.Selector.Matches(labels)).Select(c => c.Uid).Distinct(), "in candidate order");
        }
    }

    private static readonly string[] Selectors = ["app=a", "app=b", "tier=web", "app in (a,b)", "app=a,tier=web", "tier!=db", "app"];

    /// <summary>Removes one of twelve budgets (a time in four) or sets it to a random selector, in the index and the model.</summary>
    private static void ChangeABudget(Random rng, NamespacePdbs index, Dictionary<string, LabelSelectorExpr> model)
    {
        var uid = $"pdb-{rng.Next(12)}";
        if (rng.Next(4) == 0) { index.Remove(uid); model.Remove(uid); return; }
        var selector = LabelSelectorExpr.Parse(Selectors[rng.Next(Selectors.Length)]);
        index.Set(uid, selector);
        model[uid] = selector;
    }
}
