using Drydock.Planning.Inventory;
using Drydock.Planning.Upgrade;
using Drydock.Versions;

namespace Drydock.Planning.Preflight;

/// <summary>
/// A preflight check: small, named, and independent of the others. The built-in ones are pure over the
/// <see cref="PreflightContext"/>; checks that need I/O (etcd health, certificate expiry) take their clients in
/// their constructor and are added to the list passed to <see cref="PreflightRunner"/>.
/// </summary>
public interface IPreflightCheck
{
    /// <summary>Stable, kebab-case, used in output and (later) --ignore-preflight-errors.</summary>
    string Name { get; }

    ValueTask<PreflightResult> RunAsync(PreflightContext context, CancellationToken ct = default);
}

/// <summary>What every check sees: the snapshot, the plan, shared indexes, and extra component versions (kubectl).</summary>
public sealed record PreflightContext
{
    public required ClusterSnapshot Snapshot { get; init; }
    public required UpgradePlan Plan { get; init; }
    public required ClusterIndex Index { get; init; }
    /// <summary>Versions the snapshot cannot know (the kubectl that will drive the upgrade), checked for skew too.</summary>
    public IReadOnlyList<ComponentInstance> ExtraComponents { get; init; } = [];

    public static PreflightContext Create(ClusterSnapshot snapshot, UpgradePlan plan, IReadOnlyList<ComponentInstance>? extra = null) =>
        new() { Snapshot = snapshot, Plan = plan, Index = new ClusterIndex(snapshot), ExtraComponents = extra ?? [] };
}
