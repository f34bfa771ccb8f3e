using Drydock.Planning.Preflight;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Planning;

/// <summary>What the operator asked for: a target (or none: pick like kubeadm), the override flags, batching, extra checks.</summary>
public sealed record PlanRequest
{
    /// <summary><c>--to</c>; null = the newest candidate the version source offers.</summary>
    public KubeVersion? To { get; init; }
    public UpgradePathOptions PathOptions { get; init; } = new();
    public UpgradePlanOptions PlanOptions { get; init; } = new();
    /// <summary>Where candidate and intermediate versions come from; null = only <see cref="To"/>.</summary>
    public IAvailableVersionSource? VersionSource { get; init; }
    /// <summary>Checks to run; null = <see cref="PreflightRunner.BuiltIn"/>.</summary>
    public IReadOnlyList<IPreflightCheck>? Checks { get; init; }
    /// <summary>Component versions outside the snapshot (kubectl), checked for skew.</summary>
    public IReadOnlyList<ComponentInstance> ExtraComponents { get; init; } = [];
}
