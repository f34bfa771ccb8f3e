using Drydock.Common;
using Drydock.Nodes;
using Drydock.Planning.Inventory;
using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Planning;

/// <summary>
/// The whole of `drydock plan` below the CLI: choose the target (like kubeadm: latest patch of the current minor,
/// latest of the next), compute the hops, build the node plan, run the preflight checks.
/// Bad input (unparsable or refused target) throws <see cref="DrydockException"/> with exit code 2.
/// </summary>
public static class PlanReportBuilder
{
    public static async Task<PlanReport> BuildAsync(ClusterSnapshot snapshot, PlanRequest request, CancellationToken ct = default)
    {
        var current = snapshot.ClusterVersion
            ?? throw new DrydockException(new OperationError($"cannot tell the cluster version from {snapshot.Source}: no kube-apiserver pods, /version or kubeadm-config"));
        var notes = new List<string>();
        IReadOnlyList<KubeVersion> available = [];
        var maxMinor = Math.Max(current.Minor + 1, request.To?.Minor ?? 0);
        var needSource = request.To is null || request.To.Minor - current.Minor > 1;
        if (needSource && request.VersionSource is { } source)
        {
            try { available = await source.ListAsync(current.Major, current.Minor, maxMinor, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is HttpRequestException or NodeAgentException or IOException)
            {
                notes.Add($"could not read available versions from {source.Describe}: {e.Message}");
            }
        }

        UpgradeCandidates? candidates = null;
        var target = request.To;
        if (target is null)
        {
            candidates = UpgradeCandidates.Select(current, available, request.PathOptions, request.VersionSource?.Describe ?? "");
            target = candidates.Preferred;
            if (target is null && notes.Count > 0)
                throw new DrydockException(new OperationError($"{notes[0]}; pass --to vX.Y.Z to plan offline"));
            target ??= current;
        }

        var (hops, error) = UpgradePath.Compute(current, target, request.PathOptions,
            minor => UpgradeCandidates.LatestOfMinor(available, current.Major, minor));
        if (error is not null) throw new DrydockException(notes.Count == 0 ? error : error with { Message = $"{error.Message} ({notes[0]})" });

        var plan = UpgradePlanner.Plan(snapshot, current, hops, request.PlanOptions);
        // Up to date: nothing will be drained or upgraded, so there is nothing to check (kubeadm says the same).
        IReadOnlyList<PreflightResult> preflight = plan.UpToDate ? [] :
            await PreflightRunner.RunAsync(PreflightContext.Create(snapshot, plan, request.ExtraComponents), request.Checks, ct).ConfigureAwait(false);
        return new PlanReport
        {
            Source = snapshot.Source,
            ClusterVersion = current,
            ApiServerVersion = snapshot.ApiServerVersion,
            KubeadmConfigVersion = snapshot.KubeadmKubernetesVersion,
            Candidates = candidates,
            Plan = plan,
            Preflight = preflight,
            Notes = notes,
            NextCommand = plan.UpToDate ? null : NextCommand(plan, request),
        };
    }

    private static string NextCommand(UpgradePlan plan, PlanRequest request)
    {
        var parts = new List<string> { "drydock upgrade --to", plan.Target.ToString() };
        if (plan.MaxUnavailable != "1") parts.Add($"--max-unavailable {plan.MaxUnavailable}");
        if (request.PathOptions.AllowExperimentalUpgrades) parts.Add("--allow-experimental-upgrades");
        else if (request.PathOptions.AllowReleaseCandidateUpgrades) parts.Add("--allow-release-candidate-upgrades");
        if (request.PathOptions.Force) parts.Add("--force");
        return string.Join(' ', parts);
    }
}
