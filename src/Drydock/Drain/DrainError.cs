using Drydock.Common;

namespace Drydock.Drain;

/// <summary>Why a node's drain failed. <see cref="DrydockError.Message"/> is kubectl's error text (what follows
/// "unable to drain node "n" due to error: ").</summary>
public abstract record DrainError(string Message) : DrydockError(Message)
{
    /// <summary>When the error aggregates several (one per filter message or per pod), each of them; kubectl prints
    /// them one per line without the "error: " prefix. Empty for a plain error.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];
}

/// <summary>Filters refused pods (DaemonSet, local storage, no controller, DaemonSet lookup failed).</summary>
public sealed record DrainRefused : DrainError
{
    public DrainRefused(IReadOnlyList<MessageGroup> errors)
        : base(MessageGroup.Aggregate(errors.Select(e => e.ErrorText).ToList()))
    {
        Errors = errors;
        Parts = errors.Select(e => e.ErrorText).ToList();
    }

    public IReadOnlyList<MessageGroup> Errors { get; }
}

/// <summary>A PodDisruptionBudget refuses the eviction and --fail-fast-on-pdb is set, or the budget can never allow it.</summary>
public sealed record PdbBlocked(string Message, IReadOnlyList<PdbDiagnosis> Pdbs) : DrainError(Message);

/// <summary>--timeout passed before every pod was gone.</summary>
public sealed record DrainTimedOut(string Message, TimeSpan Timeout) : DrainError(Message);

/// <summary>Evictions or deletions failed for other reasons (aggregated per pod).</summary>
public sealed record EvictionFailed(string Message) : DrainError(Message);

/// <summary>The cordon PATCH failed (kubectl ignores this, kubernetes#89008; Drydock fails the node).</summary>
public sealed record CordonFailed(string Node, string Reason) : DrainError($"unable to cordon node \"{Node}\": {Reason}");

/// <summary>An API call the drain depends on failed (listing pods, discovery …); the server's text.</summary>
public sealed record DrainApiFailed(string Message) : DrainError(Message);
