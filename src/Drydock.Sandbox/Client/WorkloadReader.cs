using System.Text.Json.Nodes;
using Drydock.Kube.Models;
using static Drydock.Sandbox.Client.TreeRead;

namespace Drydock.Sandbox.Client;

/// <summary>Direct readers of the workload kinds (see <see cref="TypedCopy"/>): a snapshot reads every Deployment and
/// ReplicaSet, each with a pod template, so they cost as much as the pods once the pods are read directly.</summary>
internal static class WorkloadReader
{
    public static Deployment Deployment(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, DeploymentSpec, DeploymentStatus);
        return new Deployment { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    public static ReplicaSet ReplicaSet(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, ReplicaSetSpec, ReplicaSetStatus);
        return new ReplicaSet { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    public static ReplicationController ReplicationController(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, ReplicationControllerSpec, ReplicaSetStatus);
        return new ReplicationController { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    public static StatefulSet StatefulSet(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, StatefulSetSpec, StatefulSetStatus);
        return new StatefulSet { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    public static DaemonSet DaemonSet(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, DaemonSetSpec, DaemonSetStatus);
        return new DaemonSet { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    public static Job Job(JsonObject o)
    {
        var (apiVersion, kind, metadata, spec, status) = MetaReader.KubeObject(o, JobSpec, JobStatus);
        return new Job { ApiVersion = apiVersion, Kind = kind, Metadata = metadata!, Spec = spec, Status = status };
    }

    private static PodTemplateSpec PodTemplate(JsonObject o)
    {
        ObjectMeta? metadata = null;
        PodSpec? spec = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "metadata": metadata = Nullable(value, MetaReader.ObjectMeta); break;
                case "spec": spec = Nullable(value, PodReader.PodSpec); break;
            }
        }
        return new PodTemplateSpec { Metadata = metadata, Spec = spec };
    }

    private static DeploymentSpec DeploymentSpec(JsonObject o)
    {
        int? replicas = null, minReadySeconds = null, revisionHistoryLimit = null;
        LabelSelector? selector = null;
        PodTemplateSpec? template = null;
        DeploymentStrategy? strategy = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "replicas": replicas = NullableInt(value); break;
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "template": template = Nullable(value, PodTemplate); break;
                case "strategy": strategy = Nullable(value, DeploymentStrategy); break;
                case "minReadySeconds": minReadySeconds = NullableInt(value); break;
                case "revisionHistoryLimit": revisionHistoryLimit = NullableInt(value); break;
            }
        }
        return new DeploymentSpec
        {
            Replicas = replicas, Selector = selector, Template = template, Strategy = strategy,
            MinReadySeconds = minReadySeconds, RevisionHistoryLimit = revisionHistoryLimit,
        };
    }

    private static DeploymentStrategy DeploymentStrategy(JsonObject o)
    {
        string? type = null;
        RollingUpdateDeployment? rollingUpdate = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "type": type = String(value); break;
                case "rollingUpdate": rollingUpdate = Nullable(value, RollingUpdate); break;
            }
        }
        return new DeploymentStrategy { Type = type, RollingUpdate = rollingUpdate };
    }

    private static RollingUpdateDeployment RollingUpdate(JsonObject o)
    {
        IntOrString? maxUnavailable = null, maxSurge = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "maxUnavailable": maxUnavailable = PdbReader.IntOrString(value); break;
                case "maxSurge": maxSurge = PdbReader.IntOrString(value); break;
            }
        }
        return new RollingUpdateDeployment { MaxUnavailable = maxUnavailable, MaxSurge = maxSurge };
    }

    private static DeploymentStatus DeploymentStatus(JsonObject o)
    {
        long? observedGeneration = null;
        int? replicas = null, updated = null, ready = null, available = null, unavailable = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "observedGeneration": observedGeneration = NullableLong(value); break;
                case "replicas": replicas = NullableInt(value); break;
                case "updatedReplicas": updated = NullableInt(value); break;
                case "readyReplicas": ready = NullableInt(value); break;
                case "availableReplicas": available = NullableInt(value); break;
                case "unavailableReplicas": unavailable = NullableInt(value); break;
            }
        }
        return new DeploymentStatus
        {
            ObservedGeneration = observedGeneration, Replicas = replicas, UpdatedReplicas = updated, ReadyReplicas = ready,
            AvailableReplicas = available, UnavailableReplicas = unavailable,
        };
    }

    private static ReplicaSetSpec ReplicaSetSpec(JsonObject o)
    {
        int? replicas = null, minReadySeconds = null;
        LabelSelector? selector = null;
        PodTemplateSpec? template = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "replicas": replicas = NullableInt(value); break;
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "template": template = Nullable(value, PodTemplate); break;
                case "minReadySeconds": minReadySeconds = NullableInt(value); break;
            }
        }
        return new ReplicaSetSpec { Replicas = replicas, Selector = selector, Template = template, MinReadySeconds = minReadySeconds };
    }

    private static ReplicaSetStatus ReplicaSetStatus(JsonObject o)
    {
        var replicas = 0;
        int? fullyLabeled = null, ready = null, available = null;
        long? observedGeneration = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "replicas": replicas = Int(value); break;
                case "fullyLabeledReplicas": fullyLabeled = NullableInt(value); break;
                case "readyReplicas": ready = NullableInt(value); break;
                case "availableReplicas": available = NullableInt(value); break;
                case "observedGeneration": observedGeneration = NullableLong(value); break;
            }
        }
        return new ReplicaSetStatus
        {
            Replicas = replicas, FullyLabeledReplicas = fullyLabeled, ReadyReplicas = ready, AvailableReplicas = available,
            ObservedGeneration = observedGeneration,
        };
    }

    private static ReplicationControllerSpec ReplicationControllerSpec(JsonObject o)
    {
        int? replicas = null;
        Dictionary<string, string>? selector = null;
        PodTemplateSpec? template = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "replicas": replicas = NullableInt(value); break;
                case "selector": selector = StringMap(value); break;
                case "template": template = Nullable(value, PodTemplate); break;
            }
        }
        return new ReplicationControllerSpec { Replicas = replicas, Selector = selector, Template = template };
    }

    private static StatefulSetSpec StatefulSetSpec(JsonObject o)
    {
        int? replicas = null;
        LabelSelector? selector = null;
        PodTemplateSpec? template = null;
        string? serviceName = null, podManagementPolicy = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "replicas": replicas = NullableInt(value); break;
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "template": template = Nullable(value, PodTemplate); break;
                case "serviceName": serviceName = String(value); break;
                case "podManagementPolicy": podManagementPolicy = String(value); break;
            }
        }
        return new StatefulSetSpec { Replicas = replicas, Selector = selector, Template = template, ServiceName = serviceName, PodManagementPolicy = podManagementPolicy };
    }

    private static StatefulSetStatus StatefulSetStatus(JsonObject o)
    {
        long? observedGeneration = null;
        var replicas = 0;
        int? ready = null, current = null, updated = null, available = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "observedGeneration": observedGeneration = NullableLong(value); break;
                case "replicas": replicas = Int(value); break;
                case "readyReplicas": ready = NullableInt(value); break;
                case "currentReplicas": current = NullableInt(value); break;
                case "updatedReplicas": updated = NullableInt(value); break;
                case "availableReplicas": available = NullableInt(value); break;
            }
        }
        return new StatefulSetStatus
        {
            ObservedGeneration = observedGeneration, Replicas = replicas, ReadyReplicas = ready, CurrentReplicas = current,
            UpdatedReplicas = updated, AvailableReplicas = available,
        };
    }

    private static DaemonSetSpec DaemonSetSpec(JsonObject o)
    {
        LabelSelector? selector = null;
        PodTemplateSpec? template = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "template": template = Nullable(value, PodTemplate); break;
            }
        }
        return new DaemonSetSpec { Selector = selector, Template = template };
    }

    private static DaemonSetStatus DaemonSetStatus(JsonObject o)
    {
        int currentScheduled = 0, misscheduled = 0, desiredScheduled = 0, numberReady = 0;
        long? observedGeneration = null;
        int? updatedScheduled = null, available = null, unavailable = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "currentNumberScheduled": currentScheduled = Int(value); break;
                case "numberMisscheduled": misscheduled = Int(value); break;
                case "desiredNumberScheduled": desiredScheduled = Int(value); break;
                case "numberReady": numberReady = Int(value); break;
                case "observedGeneration": observedGeneration = NullableLong(value); break;
                case "updatedNumberScheduled": updatedScheduled = NullableInt(value); break;
                case "numberAvailable": available = NullableInt(value); break;
                case "numberUnavailable": unavailable = NullableInt(value); break;
            }
        }
        return new DaemonSetStatus
        {
            CurrentNumberScheduled = currentScheduled, NumberMisscheduled = misscheduled, DesiredNumberScheduled = desiredScheduled,
            NumberReady = numberReady, ObservedGeneration = observedGeneration, UpdatedNumberScheduled = updatedScheduled,
            NumberAvailable = available, NumberUnavailable = unavailable,
        };
    }

    private static JobSpec JobSpec(JsonObject o)
    {
        int? parallelism = null, completions = null, backoffLimit = null;
        LabelSelector? selector = null;
        PodTemplateSpec? template = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "parallelism": parallelism = NullableInt(value); break;
                case "completions": completions = NullableInt(value); break;
                case "backoffLimit": backoffLimit = NullableInt(value); break;
                case "selector": selector = Nullable(value, MetaReader.LabelSelector); break;
                case "template": template = Nullable(value, PodTemplate); break;
            }
        }
        return new JobSpec { Parallelism = parallelism, Completions = completions, BackoffLimit = backoffLimit, Selector = selector, Template = template };
    }

    private static JobStatus JobStatus(JsonObject o)
    {
        int? active = null, succeeded = null, failed = null;
        DateTimeOffset? startTime = null, completionTime = null;
        for (var i = 0; i < o.Count; i++)
        {
            var (key, value) = o.GetAt(i);
            switch (key)
            {
                case "active": active = NullableInt(value); break;
                case "succeeded": succeeded = NullableInt(value); break;
                case "failed": failed = NullableInt(value); break;
                case "startTime": startTime = NullableTime(value); break;
                case "completionTime": completionTime = NullableTime(value); break;
            }
        }
        return new JobStatus { Active = active, Succeeded = succeeded, Failed = failed, StartTime = startTime, CompletionTime = completionTime };
    }
}
