using System.Text.Json.Nodes;
using Drydock.Sandbox.Store;

namespace Drydock.Sandbox.Cluster;

/// <summary>A conditions array that depends only on the time it is stamped with, built once per timestamp and shared
/// by every object stamped in that second (stored versions are never edited, see <see cref="CopyOnWrite.Shared"/>):
/// a pod start wrote four new condition objects, and pods start and bind by the hundred in one second.</summary>
internal sealed class ConditionsBySecond(Func<string, JsonArray> build)
{
    private string? _at;
    private JsonArray? _conditions;

    public JsonArray At(string timestamp)
    {
        if (_conditions is null || _at != timestamp) (_at, _conditions) = (timestamp, build(timestamp));
        return CopyOnWrite.Shared(_conditions);
    }
}
