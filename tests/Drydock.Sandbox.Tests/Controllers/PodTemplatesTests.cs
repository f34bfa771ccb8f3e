using System.Text.Json.Nodes;
using Drydock.Kube;
using Drydock.Sandbox.Store;
using Drydock.Sandbox.Tests.Support;

namespace Drydock.Sandbox.Tests.Controllers;

/// <summary>ReplicaSet and Deployment status writes share the pod template with the version they replace instead of
/// copying it: what is stored and served is exactly what a full copy gives, and pods are built from the template of
/// the ReplicaSet's current generation.</summary>
public sealed class PodTemplatesTests
{
    // Characters the writer escapes, a number with a fraction as written, a nested array: all must come back as stored.
    private const string List = """
        {"apiVersion":"v1","kind":"List","items":[
          {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"status":{"allocatable":{"cpu":"8","memory":"16Gi","pods":"110"},
           "conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.27.16"}}},
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},
           "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"},"annotations":{"note":"a<b & 'c' + é"}},
               "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"c","image":"nginx:1.27",
                 "resources":{"requests":{"cpu":"100m","memory":"64Mi"}},"args":["--ratio","0.5"],"ports":[{"containerPort":8080}]}]}}}}]}
        """;

    [Fact]
    public void Should_store_a_status_write_exactly_as_a_full_copy_would()
    {
        // Given a settled Deployment: its ReplicaSet's status has been written at least once
        using var v = new VirtualCluster(List);
        var before = ReplicaSet(v);
        ((int)before["status"]!["readyReplicas"]!).Should().Be(2);
        var created = v.Cluster.Store.All(ServedResource.Deployments, "shop").Single()["spec"]!["template"]!.ToJsonString();

        // When a pod goes, so the ReplicaSet's status is written again (not ready, then replaced)
        v.Cluster.Store.Discard(ServedResource.Pods, "shop", v.Pods("web")[0].Metadata.Name!);
        v.Advance(5);
        var after = ReplicaSet(v);

        // Then the new version differs from the old one only in resourceVersion and status, byte for byte, and its
        // template is the Deployment's plus the hash label
        after["metadata"]!["resourceVersion"]!.GetValue<string>().Should().NotBe(before["metadata"]!["resourceVersion"]!.GetValue<string>());
        WithoutVersionAndStatus(after).Should().Be(WithoutVersionAndStatus(before));
        var template = JsonNode.Parse(after["spec"]!["template"]!.ToJsonString())!.AsObject();
        template["metadata"]!["labels"]!.AsObject().Remove("pod-template-hash").Should().BeTrue();
        template.ToJsonString().Should().Be(JsonNode.Parse(created)!.ToJsonString());
        after["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]![1]!.GetValue<string>().Should().Be("0.5");
    }

    [Fact]
    public void Should_build_new_pods_from_the_template_of_the_current_generation()
    {
        // Given a settled Deployment whose ReplicaSet has built its pods (its template read once)
        using var v = new VirtualCluster(List);
        var rs = ReplicaSet(v);

        // When the ReplicaSet's template changes (a new generation) and a pod goes
        v.Cluster.Store.Mutate(ServedResource.ReplicaSets, "shop", rs["metadata"]!["name"]!.GetValue<string>(),
            o => o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.28");
        ((long)ReplicaSet(v)["metadata"]!["generation"]!).Should().Be((long)rs["metadata"]!["generation"]! + 1);
        var gone = v.Pods("web")[0].Metadata.Name!;
        v.Cluster.Store.Discard(ServedResource.Pods, "shop", gone);
        v.Advance(5);

        // Then the replacement runs the new image, and the pod that stayed the old one
        var pods = v.Pods("web");
        pods.Should().HaveCount(2).And.NotContain(p => p.Metadata.Name == gone);
        pods.Select(p => p.Spec!.Containers[0].Image).Should().BeEquivalentTo(["nginx:1.27", "nginx:1.28"]);
        pods.Should().OnlyContain(p => p.Metadata.Annotations!["note"] == "a<b & 'c' + é");
    }

    [Fact]
    public void Should_share_what_pods_of_one_replica_set_hold_alike_and_give_each_its_own_identity()
    {
        // Given a settled Deployment: its ReplicaSet made both pods from one prototype, and both were bound and started
        using var v = new VirtualCluster(List);
        var pods = v.Cluster.Store.All(ServedResource.Pods, "shop");
        pods.Should().HaveCount(2);
        var (a, b) = (pods[0], pods[1]);

        // Then what they hold alike is one node, and what makes each a pod is its own
        a["spec"]!["containers"].Should().BeSameAs(b["spec"]!["containers"]);
        a["metadata"]!["labels"].Should().BeSameAs(b["metadata"]!["labels"]);
        a["metadata"]!["ownerReferences"].Should().BeSameAs(b["metadata"]!["ownerReferences"]);
        a["metadata"].Should().NotBeSameAs(b["metadata"]);
        a["metadata"]!["uid"]!.GetValue<string>().Should().NotBe(b["metadata"]!["uid"]!.GetValue<string>());
        a["status"]!["podIP"]!.GetValue<string>().Should().NotBe(b["status"]!["podIP"]!.GetValue<string>());

        // When one goes, its replacement is made from the same prototype and the other pod is left as it was
        var before = b.ToJsonString();
        v.Cluster.Store.Discard(ServedResource.Pods, "shop", a["metadata"]!["name"]!.GetValue<string>());
        v.Advance(5);
        v.Cluster.Store.Get(ServedResource.Pods, "shop", b["metadata"]!["name"]!.GetValue<string>())!.ToJsonString().Should().Be(before);
        v.Pods("web").Should().HaveCount(2).And.OnlyContain(p => p.Spec!.Containers[0].Image == "nginx:1.27");
    }

    [Fact]
    public void Should_build_pods_on_the_stored_template_itself_when_its_leaves_are_plain()
    {
        // Given a settled Deployment: its controller made the ReplicaSet, whose template leaves are plain values
        using var v = new VirtualCluster(List);
        var rs = v.Cluster.Store.All(ServedResource.ReplicaSets, "shop").Single();
        var template = rs["spec"]!["template"]!;

        // Then its pods hold the stored template's nodes, not copies of them (a large load kept a copy per ReplicaSet)
        foreach (var pod in v.Cluster.Store.All(ServedResource.Pods, "shop"))
        {
            pod["spec"]!["containers"].Should().BeSameAs(template["spec"]!["containers"]);
            pod["metadata"]!["labels"].Should().BeSameAs(template["metadata"]!["labels"]);
            pod["spec"].Should().NotBeSameAs(template["spec"], "each pod owns its spec's top level (nodeName, defaults)");
        }
        template["spec"]!.AsObject().ContainsKey("nodeName").Should().BeFalse("the template was not written through a pod");
    }

    [Fact]
    public void Should_copy_a_template_whose_leaves_are_views_of_a_parsed_request()
    {
        // Given a ReplicaSet created from a parsed request body (its string leaves decode their UTF-8 on every read)
        using var v = new VirtualCluster(List);
        var body = JsonNode.Parse(RawReplicaSet)!.AsObject();
        v.Cluster.ApiCreate(ServedResource.ReplicaSets, "shop", body, dryRun: false);
        var stored = v.Cluster.Store.Get(ServedResource.ReplicaSets, "shop", "raw")!;

        // Then its pod was built from a plain copy: other nodes than the stored ones, with plain string leaves
        var pod = v.Cluster.Store.All(ServedResource.Pods, "shop").Single(p => p["metadata"]!["labels"]!["app"]!.GetValue<string>() == "raw");
        pod["spec"]!["containers"].Should().NotBeSameAs(stored["spec"]!["template"]!["spec"]!["containers"]);
        pod["spec"]!["containers"]![0]!["image"]!.AsValue().TryGetValue<System.Text.Json.JsonElement>(out _).Should().BeFalse();
        pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>().Should().Be("busybox:1.36");
    }

    [Fact]
    public void Should_give_a_new_replica_set_the_deployments_pod_spec_itself()
    {
        // Given a settled Deployment whose controller made its ReplicaSet
        using var v = new VirtualCluster(List);
        var deployment = v.Cluster.Store.All(ServedResource.Deployments, "shop").Single();
        var rs = v.Cluster.Store.All(ServedResource.ReplicaSets, "shop").Single();

        // Then the ReplicaSet's template holds the Deployment's pod spec, not a copy; only the labels are its own
        rs["spec"]!["template"]!["spec"].Should().BeSameAs(deployment["spec"]!["template"]!["spec"]);
        rs["spec"]!["template"]!["metadata"]!["labels"].Should().NotBeSameAs(deployment["spec"]!["template"]!["metadata"]!["labels"]);
        deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ContainsKey("pod-template-hash").Should().BeFalse();
    }

    private const string RawReplicaSet = """
        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"raw","namespace":"shop"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"raw"}},
           "template":{"metadata":{"labels":{"app":"raw"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}
        """;

    private static JsonObject ReplicaSet(VirtualCluster v) =>
        (JsonObject)v.Cluster.Store.All(ServedResource.ReplicaSets, "shop").Single().DeepClone();

    private static string WithoutVersionAndStatus(JsonObject o)
    {
        var copy = JsonNode.Parse(o.ToJsonString())!.AsObject();
        copy.Remove("status");
        copy["metadata"]!.AsObject().Remove("resourceVersion");
        return copy.ToJsonString();
    }
}
