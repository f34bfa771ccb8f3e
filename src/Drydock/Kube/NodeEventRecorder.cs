using System.Globalization;
using Drydock.Kube.Models;

namespace Drydock.Kube;

/// <summary>
/// Posts core/v1 Events on a Node so `kubectl describe node` and event consumers see what Drydock did. Best effort:
/// a failed event never fails a drain (the outcome is returned so callers can log it).
/// The involvedObject UID is the node name, as the kubelet writes it, so `kubectl describe node` lists them.
/// Shared by drain (cordon/drain phases) and the orchestrator (upgrade steps); <c>enabled</c> false records nothing.
/// </summary>
internal sealed class NodeEventRecorder(IKubeClient client, TimeProvider time, bool enabled = true)
{
    private long _sequence;

    public const string EventComponent = "drydock";
    /// <summary>Node events live in the "default" namespace, as the kubelet's do.</summary>
    public const string EventNamespace = "default";

    public async Task<bool> RecordAsync(string node, string reason, string message, bool warning = false, CancellationToken ct = default)
    {
        if (!enabled) return false;
        var now = time.GetUtcNow();
        var seq = Interlocked.Increment(ref _sequence);
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{node}.{now.ToUnixTimeMilliseconds() * 1000 + seq % 1000:x}"),
                Namespace = EventNamespace,
            },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = node },
            Reason = reason,
            Message = message.Length > 1000 ? message[..1000] : message,
            Type = warning ? "Warning" : "Normal",
            Source = new EventSource { Component = EventComponent },
            ReportingComponent = EventComponent,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CreateAsync(ResourceKind.Events, EventNamespace, ev, DryRun.None, ct);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            return false;
        }
    }
}
