namespace Drydock.Planning.Preflight;

/// <summary>
/// Pods kubectl drain refuses without a flag (pkg/drain filters): no controller → "cannot delete Pods that declare no
/// controller (use --force to override)"; emptyDir → "cannot delete Pods with local storage (use --delete-emptydir-data
/// to override)". Mirror, DaemonSet and finished pods are skipped as drain skips them.
/// </summary>
public sealed class DrainFlagsCheck : IPreflightCheck
{
    public const string ForceMessage = "cannot delete Pods that declare no controller (use --force to override)";
    public const string EmptyDirMessage = "cannot delete Pods with local storage (use --delete-emptydir-data to override)";

    public string Name => "drain-flags";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var force = new List<string>();
        var emptyDir = new List<string>();
        foreach (var p in context.Snapshot.Pods)
        {
            if (p.NodeName is null || p.IsMirror || p.IsDaemonSetPod || p.IsFinished) continue;
            if (p.Controller is null) force.Add($"{p.Namespace}/{p.Name} on {p.NodeName}: {ForceMessage}");
            else if (p.HasEmptyDir) emptyDir.Add($"{p.Namespace}/{p.Name} on {p.NodeName}: {EmptyDirMessage}");
        }
        if (force.Count == 0 && emptyDir.Count == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, "every pod can be drained with --ignore-daemonsets alone"));
        var flags = string.Join(" ", new[] { force.Count > 0 ? "--force" : null, emptyDir.Count > 0 ? "--delete-emptydir-data" : null }.OfType<string>());
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Warn,
            Summary = $"{force.Count} unmanaged pod(s) and {emptyDir.Count} pod(s) with emptyDir need {flags}",
            Evidence = EvidenceList.Cap([.. force, .. emptyDir]),
            Remedy = $"upgrade with {flags} (unmanaged pods are deleted for good, emptyDir data is lost), or move those pods first",
        });
    }
}
