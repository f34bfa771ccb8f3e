using Drydock.Nodes;

namespace Drydock.Etcd.Restore;

/// <summary>A restore step starting (<see cref="Finished"/> false) or done, with what the node said.</summary>
public sealed record RestoreProgress(int Index, int Count, RestoreStep Step, bool Finished, NodeStepResult? Result = null, string? Detail = null);
