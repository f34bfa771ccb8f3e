namespace Drydock.Drain;

/// <summary>
/// Progress of a cordon/drain, reported through <see cref="IProgress{T}"/> as it happens (from several tasks at
/// once: renderers must be thread-safe). The CLI turns these into kubectl's lines or a live view.
/// </summary>
public abstract record DrainEvent(string Node, DateTimeOffset At);

/// <summary>Cordon or uncordon finished; <paramref name="Changed"/> false = "already cordoned/uncordoned", no write.</summary>
public sealed record NodeScheduling(string Node, DateTimeOffset At, bool Unschedulable, bool Changed, DryRunMode DryRun) : DrainEvent(Node, At);

/// <summary>The node's pods were classified; carries the plan (pods to evict, skipped, PDB diagnosis).</summary>
public sealed record DrainPlanned(string Node, DateTimeOffset At, DrainPlan Plan) : DrainEvent(Node, At);

/// <summary>Warning text as kubectl prints it after "Warning: " (all warnings, grouped).</summary>
public sealed record DrainWarning(string Node, DateTimeOffset At, string Message) : DrainEvent(Node, At);

/// <summary>An eviction (or, with <paramref name="ViaDelete"/>, a DELETE) is about to be sent — kubectl's "evicting pod ns/name".</summary>
public sealed record PodEvicting(string Node, DateTimeOffset At, PodRef Pod, bool ViaDelete, DryRunMode DryRun) : DrainEvent(Node, At);

/// <summary>The eviction was refused and will be retried after <paramref name="RetryAfter"/>.</summary>
public sealed record PodEvictionRetry(string Node, DateTimeOffset At, PodRef Pod, string Message, TimeSpan RetryAfter, PdbDiagnosis? Pdb) : DrainEvent(Node, At);

/// <summary>The API accepted the eviction/delete; the pod is now terminating.</summary>
public sealed record PodTerminating(string Node, DateTimeOffset At, PodRef Pod) : DrainEvent(Node, At);

/// <summary>The pod is gone (or was replaced by a new pod of the same name) — kubectl's "pod/name evicted|deleted".</summary>
public sealed record PodGone(string Node, DateTimeOffset At, PodRef Pod, bool ViaDelete, TimeSpan Took) : DrainEvent(Node, At);

/// <summary>A pod stuck terminating for longer than --skip-wait-for-delete-timeout is no longer waited for.</summary>
public sealed record PodWaitSkipped(string Node, DateTimeOffset At, PodRef Pod, int Seconds) : DrainEvent(Node, At);

/// <summary>A pod could not be removed; the node's drain fails.</summary>
public sealed record PodFailed(string Node, DateTimeOffset At, PodRef Pod, string Reason) : DrainEvent(Node, At);

/// <summary>The node's drain ended (see <see cref="NodeDrainResult"/> for details).</summary>
public sealed record DrainFinished(string Node, DateTimeOffset At, NodeDrainResult Result) : DrainEvent(Node, At);
