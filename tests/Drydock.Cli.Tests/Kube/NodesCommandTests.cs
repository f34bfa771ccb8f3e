using System.Text.Json;
using System.Text.Json.Nodes;
using Drydock.Cli.Tests.Infrastructure;

namespace Drydock.Cli.Tests.Kube;

public sealed class NodesCommandTests
{
    /// <summary>The fixture's eight nodes, with worker-2 cordoned and worker-3 NotReady.</summary>
    private static string NodeList()
    {
        var list = JsonNode.Parse(KubeTestServer.Fixture("nodes-kubeadm-v1.27-ha.json"))!;
        foreach (var node in list["items"]!.AsArray())
        {
            var name = node!["metadata"]!["name"]!.GetValue<string>();
            if (name == "worker-2") node["spec"]!["unschedulable"] = true;
            if (name == "worker-3")
                foreach (var c in node["status"]!["conditions"]!.AsArray())
                    if (c!["type"]!.GetValue<string>() == "Ready") c["status"] = "False";
        }
        return list.ToJsonString();
    }

    private static Task<KubeTestServer> ServerAsync() => KubeTestServer.StartAsync(ctx => ctx.Request.Path == "/api/v1/nodes"
        ? ctx.Json(200, NodeList())
        : ctx.Json(404, """{"kind":"Status","status":"Failure","reason":"NotFound","code":404,"message":"not here"}"""));

    [Fact]
    public async Task Should_print_one_row_per_node_like_kubectl_get_nodes_wide()
    {
        // Given the fixture cluster created 2026-09-01 08:00 and "now" 2026-11-21 08:00 (81 days later)
        await using var server = await ServerAsync();

        // When running drydock nodes
        var result = await new CliHarness().RunAsync("nodes", "--kubeconfig", server.Kubeconfig());

        // Then roles, readiness, cordon state, versions, OS, runtime and age are shown
        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(9);
        lines[0].Should().Be("NAME       ROLES           STATUS                     KUBELET    KUBE-PROXY   OS-IMAGE             RUNTIME               AGE");
        lines[1].Should().Be("cp-1       control-plane   Ready                      v1.27.16   v1.27.16     Ubuntu 22.04.4 LTS   containerd://1.7.12   81d");
        lines[5].Should().Be("worker-2   <none>          Ready,SchedulingDisabled   v1.27.16   v1.27.16     Ubuntu 22.04.4 LTS   containerd://1.7.12   81d");
        lines[6].Should().StartWith("worker-3   <none>          NotReady   ");
        server.Requests.Should().Equal("GET /api/v1/nodes?limit=500");
    }

    [Fact]
    public async Task Should_add_internal_ip_and_kernel_in_wide_output()
    {
        // Given the fixture cluster
        await using var server = await ServerAsync();

        // When running drydock nodes -o wide
        var result = await new CliHarness().RunAsync("nodes", "-o", "wide", "--kubeconfig", server.Kubeconfig());

        // Then the extra columns come last
        result.ExitCode.Should().Be(0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().EndWith("AGE   INTERNAL-IP     KERNEL-VERSION");
        lines[1].Should().EndWith("81d   192.168.10.11   5.15.0-119-generic");
    }

    [Fact]
    public async Task Should_pass_the_label_selector_and_print_json_as_a_v1_List()
    {
        // Given the fixture cluster
        await using var server = await ServerAsync();

        // When running drydock nodes -l ... -o json
        var result = await new CliHarness().RunAsync("nodes", "-l", "node-role.kubernetes.io/control-plane", "-o", "json", "--kubeconfig", server.Kubeconfig());

        // Then a v1 List of the nodes comes out, with every nodeInfo field intact
        result.ExitCode.Should().Be(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        doc.RootElement.GetProperty("kind").GetString().Should().Be("List");
        doc.RootElement.GetProperty("items").GetArrayLength().Should().Be(8);
        doc.RootElement.GetProperty("items")[0].GetProperty("status").GetProperty("nodeInfo").GetProperty("kubeletVersion").GetString().Should().Be("v1.27.16");
        server.Requests.Should().Equal("GET /api/v1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane&limit=500");
    }

    [Fact]
    public async Task Should_print_yaml()
    {
        // Given the fixture cluster
        await using var server = await ServerAsync();

        // When running drydock nodes -o yaml
        var result = await new CliHarness().RunAsync("nodes", "-o", "yaml", "--kubeconfig", server.Kubeconfig());

        // Then block YAML with kubectl's field names and layout, strings that look like numbers quoted
        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().StartWith("apiVersion: v1\nkind: List\n").And.Contain("items:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: cp-1\n")
            .And.Contain("    resourceVersion: \"1001\"\n").And.Contain("      node-role.kubernetes.io/control-plane: \"\"\n");
    }

    [Fact]
    public async Task Should_show_the_servers_error_in_kubectls_form()
    {
        // Given a server that forbids listing nodes
        await using var server = await KubeTestServer.StartAsync(ctx => ctx.Json(403,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"nodes is forbidden: User \"dev\" cannot list resource \"nodes\" in API group \"\" at the cluster scope","reason":"Forbidden","code":403}"""));

        // When running drydock nodes
        var result = await new CliHarness().RunAsync("nodes", "--kubeconfig", server.Kubeconfig());

        // Then one line, exit 1
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Be("Error from server (Forbidden): nodes is forbidden: User \"dev\" cannot list resource \"nodes\" in API group \"\" at the cluster scope\n");
    }
}
