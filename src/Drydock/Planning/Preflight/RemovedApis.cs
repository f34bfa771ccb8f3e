namespace Drydock.Planning.Preflight;

/// <summary>One API version removed in a Kubernetes minor, and what replaces it.</summary>
public sealed record RemovedApi(int RemovedInMinor, string ApiVersion, string Kind, string Replacement);

/// <summary>
/// APIs removed per release, from the upstream Deprecated API Migration Guide
/// (https://kubernetes.io/docs/reference/using-api/deprecation-guide/), sections v1.16 … v1.32.
/// </summary>
public static class RemovedApis
{
    public static IReadOnlyList<RemovedApi> Table { get; } =
    [
        // v1.16
        new(16, "extensions/v1beta1", "Deployment", "apps/v1"), new(16, "apps/v1beta1", "Deployment", "apps/v1"), new(16, "apps/v1beta2", "Deployment", "apps/v1"),
        new(16, "extensions/v1beta1", "DaemonSet", "apps/v1"), new(16, "apps/v1beta2", "DaemonSet", "apps/v1"),
        new(16, "extensions/v1beta1", "ReplicaSet", "apps/v1"), new(16, "apps/v1beta1", "ReplicaSet", "apps/v1"), new(16, "apps/v1beta2", "ReplicaSet", "apps/v1"),
        new(16, "apps/v1beta1", "StatefulSet", "apps/v1"), new(16, "apps/v1beta2", "StatefulSet", "apps/v1"),
        new(16, "extensions/v1beta1", "NetworkPolicy", "networking.k8s.io/v1"), new(16, "extensions/v1beta1", "PodSecurityPolicy", "policy/v1beta1"),
        // v1.22
        new(22, "admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1"),
        new(22, "admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1"),
        new(22, "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "apiextensions.k8s.io/v1"),
        new(22, "apiregistration.k8s.io/v1beta1", "APIService", "apiregistration.k8s.io/v1"),
        new(22, "authentication.k8s.io/v1beta1", "TokenReview", "authentication.k8s.io/v1"),
        new(22, "authorization.k8s.io/v1beta1", "SubjectAccessReview", "authorization.k8s.io/v1"),
        new(22, "authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "authorization.k8s.io/v1"),
        new(22, "authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "authorization.k8s.io/v1"),
        new(22, "certificates.k8s.io/v1beta1", "CertificateSigningRequest", "certificates.k8s.io/v1"),
        new(22, "coordination.k8s.io/v1beta1", "Lease", "coordination.k8s.io/v1"),
        new(22, "extensions/v1beta1", "Ingress", "networking.k8s.io/v1"), new(22, "networking.k8s.io/v1beta1", "Ingress", "networking.k8s.io/v1"),
        new(22, "networking.k8s.io/v1beta1", "IngressClass", "networking.k8s.io/v1"),
        new(22, "rbac.authorization.k8s.io/v1beta1", "ClusterRole", "rbac.authorization.k8s.io/v1"),
        new(22, "rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1"),
        new(22, "rbac.authorization.k8s.io/v1beta1", "Role", "rbac.authorization.k8s.io/v1"),
        new(22, "rbac.authorization.k8s.io/v1beta1", "RoleBinding", "rbac.authorization.k8s.io/v1"),
        new(22, "scheduling.k8s.io/v1beta1", "PriorityClass", "scheduling.k8s.io/v1"),
        new(22, "storage.k8s.io/v1beta1", "CSIDriver", "storage.k8s.io/v1"), new(22, "storage.k8s.io/v1beta1", "CSINode", "storage.k8s.io/v1"),
        new(22, "storage.k8s.io/v1beta1", "StorageClass", "storage.k8s.io/v1"), new(22, "storage.k8s.io/v1beta1", "VolumeAttachment", "storage.k8s.io/v1"),
        // v1.25
        new(25, "batch/v1beta1", "CronJob", "batch/v1"), new(25, "discovery.k8s.io/v1beta1", "EndpointSlice", "discovery.k8s.io/v1"),
        new(25, "events.k8s.io/v1beta1", "Event", "events.k8s.io/v1"), new(25, "autoscaling/v2beta1", "HorizontalPodAutoscaler", "autoscaling/v2"),
        new(25, "policy/v1beta1", "PodDisruptionBudget", "policy/v1"), new(25, "policy/v1beta1", "PodSecurityPolicy", "Pod Security Admission (no replacement API)"),
        new(25, "node.k8s.io/v1beta1", "RuntimeClass", "node.k8s.io/v1"),
        // v1.26
        new(26, "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1beta3"),
        new(26, "flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1beta3"),
        new(26, "autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2"),
        // v1.27
        new(27, "storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1"),
        // v1.29
        new(29, "flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1"),
        new(29, "flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1"),
        // v1.32
        new(32, "flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1"),
        new(32, "flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1"),
    ];
}
