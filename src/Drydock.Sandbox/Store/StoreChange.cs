using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

/// <summary>One committed change: what a watch sends (ADDED/MODIFIED/DELETED) and what controllers react to.</summary>
internal sealed record StoreChange(long ResourceVersion, string Type, ServedResource Resource, JsonObject Object, JsonObject? Previous);
