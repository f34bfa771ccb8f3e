using Drydock.Kube.Models;

namespace Drydock.Drain;

/// <summary>What draining one node would do: which pods go, which stay (and why), what refuses, what the PDBs say.</summary>
public sealed record DrainPlan
{
    public required string NodeName { get; init; }
    /// <summary>Pods to evict (or delete), ordered by namespace/name.</summary>
    public IReadOnlyList<Pod> ToEvict { get; init; } = [];
    public IReadOnlyList<SkippedPod> Skipped { get; init; } = [];
    /// <summary>Filter errors grouped by message; any error means nothing on the node is evicted.</summary>
    public IReadOnlyList<MessageGroup> Errors { get; init; } = [];
    /// <summary>Every warning, grouped by message (kubectl shows only some of them).</summary>
    public IReadOnlyList<MessageGroup> Warnings { get; init; } = [];
    public IReadOnlyList<PdbDiagnosis> Pdbs { get; init; } = [];

    public bool CanProceed => Errors.Count == 0;

    /// <summary>kubectl's aggregated error: one "cannot delete …" or "[e1, e2]".</summary>
    public string ErrorText => MessageGroup.Aggregate(Errors.Select(e => e.ErrorText).ToList());

    /// <summary>The stderr warning line body: "msg: ns/a, ns/b; msg2: ns/c", or null when there is none.</summary>
    public string? WarningText => Warnings.Count == 0 ? null : string.Join("; ", Warnings.Select(w => w.Text));

    public IReadOnlyList<PdbDiagnosis> BlockingPdbs => Pdbs.Where(p => p.Outlook == PdbOutlook.CannotFinish).ToList();
}

/// <summary>A pod the drain leaves in place, with the reason (null = skipped silently, as mirror pods).</summary>
public sealed record SkippedPod(PodRef Pod, string Filter, string? Reason);

/// <summary>One message and the pods it applies to ("ns/name", sorted).</summary>
public sealed record MessageGroup(string Message, IReadOnlyList<string> Pods)
{
    public string Text => $"{Message}: {string.Join(", ", Pods)}";

    /// <summary>"cannot delete &lt;msg&gt;: pods" — never "cannot delete cannot delete" (kubectl 1.30–1.35 duplicates it).</summary>
    public string ErrorText => $"cannot delete {Text}";

    /// <summary>Go's utilerrors.NewAggregate formatting: one error bare, several as "[a, b]".</summary>
    public static string Aggregate(IReadOnlyList<string> errors) => errors.Count switch
    {
        0 => "",
        1 => errors[0],
        _ => $"[{string.Join(", ", errors)}]",
    };
}
