namespace Drydock.Planning.Preflight;

/// <summary>
/// Objects the cluster still serves or applies through an API version that a minor of the plan removes
/// (<see cref="RemovedApis"/>). Served objects and last-applied manifests both count: the next apply would fail.
/// </summary>
public sealed class RemovedApisCheck : IPreflightCheck
{
    public string Name => "removed-apis";

    public ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default)
    {
        var from = context.Plan.ClusterVersion.Minor;
        var to = context.Plan.Target.Minor;
        var evidence = new List<string>();
        foreach (var usage in context.Snapshot.ApiUsages)
        {
            var removed = RemovedApis.Table.FirstOrDefault(r => r.ApiVersion == usage.ApiVersion && r.Kind == usage.Kind && r.RemovedInMinor > from && r.RemovedInMinor <= to);
            if (removed is null) continue;
            evidence.Add($"{usage.Count} {usage.Kind} {(usage.FromLastApplied ? "last applied as" : "served as")} {usage.ApiVersion} (e.g. {usage.Example}): removed in v1.{removed.RemovedInMinor}, use {removed.Replacement}");
        }
        if (evidence.Count == 0)
            return ValueTask.FromResult(PreflightResult.Pass(Name, from == to
                ? "no API removals within a patch upgrade"
                : to == from + 1 ? $"no objects use APIs removed in v1.{to}" : $"no objects use APIs removed in v1.{from + 1}..v1.{to}"));
        return ValueTask.FromResult(new PreflightResult
        {
            Check = Name, Status = PreflightStatus.Fail, Summary = $"{evidence.Count} kind(s) use APIs removed by the target",
            Evidence = EvidenceList.Cap(evidence),
            Remedy = "migrate the manifests (kubectl convert, or edit apiVersion) and re-apply them before upgrading; see https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        });
    }
}
