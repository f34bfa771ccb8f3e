using Drydock.Kube.Inventory;
using Drydock.Kube.Models;

namespace Drydock.Tests.Kube.Inventory;

public sealed class NodeSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static Node Node(Dictionary<string, string> labels, string? ready, bool cordoned) => new()
    {
        Metadata = new ObjectMeta { Name = "n", Labels = labels, CreationTimestamp = Now.AddHours(-30) },
        Spec = new NodeSpec { Unschedulable = cordoned ? true : null },
        Status = new NodeStatus
        {
            Conditions = ready is null ? [] : [new NodeCondition { Type = "Ready", Status = ready }],
            NodeInfo = new NodeSystemInfo { KubeletVersion = "v1.28.9", KubeProxyVersion = "v1.28.9", OsImage = "Debian 12", ContainerRuntimeVersion = "containerd://1.7.0" },
        },
    };

    public static TheoryData<string, Dictionary<string, string>, string?, bool, string, string> Cases => new()
    {
        { "control plane, ready", new() { ["node-role.kubernetes.io/control-plane"] = "" }, "True", false, "control-plane", "Ready" },
        { "two roles sorted, cordoned", new() { ["node-role.kubernetes.io/worker"] = "", ["node-role.kubernetes.io/etcd"] = "" }, "True", true, "etcd,worker", "Ready,SchedulingDisabled" },
        { "legacy role label, not ready", new() { ["kubernetes.io/role"] = "master" }, "False", false, "master", "NotReady" },
        { "no role, no Ready condition, cordoned", new(), null, true, "<none>", "Unknown,SchedulingDisabled" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_derive_roles_and_status_as_kubectl(string name, Dictionary<string, string> labels, string? ready, bool cordoned, string roles, string status)
    {
        // Given a node / When summarizing it
        _ = name;
        var summary = NodeSummary.From(Node(labels, ready, cordoned), Now);

        // Then roles and status read as in kubectl get nodes
        (summary.Roles, summary.Status, summary.Age, summary.KubeletVersion).Should().Be((roles, status, "30h", "v1.28.9"));
    }
}
