using System.Globalization;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>Kubernetes Events on the Node for each phase, so `kubectl describe node` shows what Drydock did.</summary>
internal sealed class NodeEventRecorder(IKubeClient kube, TimeProvider time, bool enabled)
{
    private long _sequence;

    public async Task RecordAsync(string node, string reason, string message, bool warning = false)
    {
        if (!enabled) return;
        var now = time.GetUtcNow();
        var n = Interlocked.Increment(ref _sequence);
        try
        {
            await kube.CreateAsync(ResourceKind.Events, "default", new Event
            {
                Metadata = new ObjectMeta
                {
                    Name = $"{node}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{n.ToString("x", CultureInfo.InvariantCulture)}",
                    Namespace = "default",
                },
                InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
                Reason = reason,
                Message = message.Length > 1000 ? message[..1000] : message,
                Type = warning ? "Warning" : "Normal",
                Source = new EventSource { Component = RolloutConstants.EventComponent },
                ReportingComponent = RolloutConstants.EventComponent,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            }, ct: CancellationToken.None);
        }
        catch (KubeApiException) { /* events are best effort: never fail an upgrade for one */ }
    }
}
