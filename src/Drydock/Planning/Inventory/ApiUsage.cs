namespace Drydock.Planning.Inventory;

/// <summary>
/// Objects seen through an apiVersion/kind, either as served or as declared in the
/// kubectl.kubernetes.io/last-applied-configuration annotation (how the owner keeps applying them).
/// Aggregated (count plus one example) so it stays small on big clusters.
/// </summary>
public sealed record ApiUsage(string ApiVersion, string Kind, int Count, string Example, bool FromLastApplied);
