using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>A Deployment's ReplicaSet is named after its pod-template hash: SHA-256 of the template's JSON without a
/// pod-template-hash label, mapped onto kube's safe alphabet. A template that carries that label hashes as if it had none.</summary>
public sealed class TemplateHashTests
{
    private const string PlainTemplate =
        """{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}""";
    private const string LabelledTemplate =
        """{"metadata":{"labels":{"app":"web","pod-template-hash":"zzz"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}""";

    [Fact]
    public void Should_name_replica_sets_by_the_template_hash_without_the_hash_label()
    {
        using var cluster = new SandboxCluster();
        cluster.LoadList($$$"""
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"plain","namespace":"shop"},
               "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{{{PlainTemplate}}}}},
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"labelled","namespace":"shop"},
               "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{{{LabelledTemplate}}}}}]}
            """);
        var hash = ExpectedHash(PlainTemplate);
        var names = cluster.Store.All(ServedResource.ReplicaSets, "shop").Select(rs => rs.Name()).Order(StringComparer.Ordinal);
        Assert.Equal([$"labelled-{hash}", $"plain-{hash}"], names);
    }

    private static string ExpectedHash(string templateJson)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(JsonNode.Parse(templateJson)!.ToJsonString()));
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(bytes.Take(10).Select(b => alphabet[b % alphabet.Length]));
    }
}
