namespace Drydock.Planning.Upgrade;

/// <summary>Options of <see cref="UpgradePlanner"/>. Defaults: one worker at a time, fixed-size batches in inventory order.</summary>
public sealed record UpgradePlanOptions
{
    public BatchSize MaxUnavailable { get; init; } = BatchSize.One;
    public IBatchStrategy BatchStrategy { get; init; } = new FixedSizeBatchStrategy();
}
