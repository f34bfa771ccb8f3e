using System.Globalization;
using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>
/// Posts core/v1 Events on a Node so `kubectl describe node` and event consumers see what Drydock did. Best effort:
/// a failed event never fails a drain (the outcome is returned so callers can log it).
/// The involvedObject UID is the node name, as the kubelet writes it, so `kubectl describe node` lists them.
/// </summary>
internal sealed class NodeEventRecorder(IKubeClient client, TimeProvider time)
{
    private long _sequence;

    public async Task<bool> RecordAsync(string node, string reason, string message, bool warning, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var seq = Interlocked.Increment(ref _sequence);
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{node}.{now.ToUnixTimeMilliseconds() * 1000 + seq % 1000:x}"),
                Namespace = DrainConstants.EventNamespace,
            },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = node },
            Reason = reason,
            Message = message,
            Type = warning ? "Warning" : "Normal",
            Source = new EventSource { Component = DrainConstants.EventComponent },
            ReportingComponent = DrainConstants.EventComponent,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CreateAsync(ResourceKind.Events, DrainConstants.EventNamespace, ev, DryRun.None, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            return false;
        }
    }
}
