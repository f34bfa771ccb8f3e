using Drydock.Kube.Models;

namespace Drydock.Tests.Drain;

/// <summary>Concise pod builders for drain tests.</summary>
internal static class TestPods
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Pod Pod(string ns, string name, string? ownerKind = "ReplicaSet", string? ownerName = null, bool controller = true,
        bool emptyDir = false, bool mirror = false, string phase = "Running", DateTimeOffset? deleted = null,
        IReadOnlyDictionary<string, string>? labels = null, bool ready = true, string node = "n1", long? grace = null, string? uid = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name, Namespace = ns, Uid = uid ?? $"uid-{ns}-{name}", Labels = labels, DeletionTimestamp = deleted,
            Annotations = mirror ? new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "abc" } : null,
            OwnerReferences = ownerKind is null ? null :
            [
                new OwnerReference
                {
                    ApiVersion = ownerKind == "DaemonSet" ? "apps/v1" : "apps/v1", Kind = ownerKind, Name = ownerName ?? $"{name}-owner",
                    Uid = "owner-uid", Controller = controller,
                },
            ],
        },
        Spec = new PodSpec
        {
            NodeName = node,
            Containers = [new Container { Name = "c", Image = "busybox" }],
            Volumes = emptyDir ? [new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource() }] : null,
            TerminationGracePeriodSeconds = grace,
        },
        Status = new PodStatus
        {
            Phase = phase,
            Conditions = [new PodCondition { Type = "Ready", Status = ready && phase == "Running" ? "True" : "False" }],
        },
    };

    public static PodDisruptionBudget Pdb(string ns, string name, IReadOnlyDictionary<string, string> match, int? minAvailable = null,
        string? minAvailablePct = null, int? maxUnavailable = null, int healthy = 3, int desired = 2, int expected = 3, int allowed = 1) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Generation = 1 },
        Spec = new PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailablePct is not null ? IntOrString.FromString(minAvailablePct) : minAvailable is int m ? IntOrString.FromInt(m) : null,
            MaxUnavailable = maxUnavailable is int x ? IntOrString.FromInt(x) : null,
            Selector = new LabelSelector { MatchLabels = match },
        },
        Status = new PodDisruptionBudgetStatus { ObservedGeneration = 1, CurrentHealthy = healthy, DesiredHealthy = desired, ExpectedPods = expected, DisruptionsAllowed = allowed },
    };

    public static Dictionary<string, string> Labels(string app) => new() { ["app"] = app };
}
