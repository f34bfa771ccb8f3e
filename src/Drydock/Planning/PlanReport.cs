using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Planning;

/// <summary>Everything `drydock plan` shows: versions, candidates, the node plan, preflight verdicts, the next command.</summary>
public sealed record PlanReport
{
    public required string Source { get; init; }
    public required KubeVersion ClusterVersion { get; init; }
    public KubeVersion? ApiServerVersion { get; init; }
    public KubeVersion? KubeadmConfigVersion { get; init; }
    public UpgradeCandidates? Candidates { get; init; }
    public required UpgradePlan Plan { get; init; }
    public IReadOnlyList<PreflightResult> Preflight { get; init; } = [];
    /// <summary>Version-source failures and similar notes (the plan still ran).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>"drydock upgrade --to v1.28.15" (with the flags this plan needed); null when up to date.</summary>
    public string? NextCommand { get; init; }

    public bool Blocked => Preflight.Any(p => p.Status == PreflightStatus.Fail);
}
