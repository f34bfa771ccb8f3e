using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>A subtree that depends only on the time it is stamped with (a pod's conditions, a container's running
/// state), built once per timestamp and shared by every object stamped in that second (stored versions are never
/// edited, see <see cref="CopyOnWrite.Shared"/>): a pod start wrote four new condition objects and a running state per
/// container, and pods start and bind by the hundred in one second.</summary>
internal sealed class StampedBySecond<T>(Func<string, T> build) where T : JsonNode
{
    private string? _at;
    private T? _node;

    public T At(string timestamp)
    {
        if (_node is null || _at != timestamp) (_at, _node) = (timestamp, build(timestamp));
        return CopyOnWrite.Shared(_node);
    }
}
