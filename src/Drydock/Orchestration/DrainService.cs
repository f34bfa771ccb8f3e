namespace Drydock.Orchestration;

/// <summary>
/// The orchestrator's narrow view of the Drain capability: cordon, uncordon, and a PDB-respecting drain
/// (cordon + evict, retrying 429s). Implemented over the Drain layer's NodeDrainer; expected failures
/// (PDB wait timed out, unmanaged pods without --force) are values, not exceptions.
/// </summary>
public interface IDrainService
{
    Task CordonAsync(string node, CancellationToken ct);
    Task UncordonAsync(string node, CancellationToken ct);
    Task<DrainOutcome> DrainAsync(string node, CancellationToken ct);
}

/// <summary>What a drain did: success, or the typed reason it stopped (names the blocking pod/PDB).</summary>
public sealed record DrainOutcome(bool Succeeded, string Message)
{
    public static DrainOutcome Ok(string message = "drained") => new(true, message);
    public static DrainOutcome Failed(string message) => new(false, message);
}
