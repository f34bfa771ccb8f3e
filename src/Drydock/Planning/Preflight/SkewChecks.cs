using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Planning.Preflight;

/// <summary>The version skew policy on the cluster as it is now, every component pair.</summary>
public sealed class SkewNowCheck : IPreflightCheck
{
    public string Name => "skew-now";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var violations = SkewPolicy.Check(VersionSimulation.Current(context.Snapshot, context.ExtraComponents));
        if (violations.Count == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, "every component pair is within the version skew policy"));
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Fail, Summary = $"{violations.Count} version skew violation(s) now",
            Evidence = EvidenceList.Cap(violations.Select(v => v.Message).ToList()),
            Remedy = "bring the listed components within policy first (upgrade old kubelets one minor at a time; see 'drydock skew')",
        });
    }
}

/// <summary>
/// The policy at every step of the plan: after the first apply, each other control plane, each kubelet batch.
/// Reports each distinct violation once, at the first step where it appears.
/// </summary>
public sealed class SkewDuringPlanCheck : IPreflightCheck
{
    public string Name => "skew-during-plan";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        if (context.Plan.UpToDate)
            return ValueTask.FromResult(PreflightResult.Pass(Name, "no steps to simulate"));
        var initial = SkewPolicy.Check(VersionSimulation.Current(context.Snapshot, context.ExtraComponents))
                                .Select(Key).ToHashSet();
        var states = VersionSimulation.Replay(context.Snapshot, context.Plan, context.ExtraComponents);
        var seen = new HashSet<string>(initial);
        var evidence = new List<string>();
        foreach (var state in states)
            foreach (var v in SkewPolicy.Check(state.Versions))
                if (seen.Add(Key(v))) evidence.Add($"{state.Label}: {DescribeFolded(v)}");
        if (evidence.Count == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, $"within policy after each of {context.Plan.Hops.Sum(h => h.Steps.Count)} steps ({states.Count} distinct version states)"));
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Fail, Summary = $"{evidence.Count} new skew violation(s) during the plan",
            Evidence = EvidenceList.Cap(evidence),
            Remedy = "upgrade the lagging kubelets before this hop (kubelets may trail kube-apiserver by at most three minors)",
        });
    }

    // Node names are representatives of a version class; identify a violation by rule and versions.
    private static string Key(SkewViolation v) =>
        $"{v.Rule}|{v.Subject.Component}|{v.Subject.Version}|{v.Reference.Component}|{v.Reference.Version}";

    private static string DescribeFolded(SkewViolation v) =>
        $"{v.Subject.Component.Name()} {v.Subject.Version} (e.g. on {v.Subject.Node ?? "-"}) vs {v.Reference.Describe()}: {v.RuleText}";
}
