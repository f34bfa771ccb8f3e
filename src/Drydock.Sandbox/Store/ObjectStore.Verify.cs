using System.Text.Json.Nodes;

namespace Drydock.Sandbox.Store;

internal sealed partial class ObjectStore
{
    /// <summary>Whether stores fingerprint every version at commit and check it is unchanged when it is replaced or
    /// removed. New versions share subtrees with the stored ones (<see cref="CopyOnWrite"/>), so an edit that wrote
    /// into a shared node would change history silently; the tests turn this on (it serializes every version).</summary>
    internal static bool VerifyStoredVersions { get; set; }

    private readonly Dictionary<JsonObject, string> _fingerprints = new(ReferenceEqualityComparer.Instance);

    /// <summary>Fingerprints a version being stored and checks the one it replaces, before anything changes.</summary>
    private void VerifyCommit(ServedResource r, string key, JsonObject stored, JsonObject? replaced)
    {
        if (!VerifyStoredVersions) return;
        if (replaced is not null) VerifyUnchanged(r, key, replaced);
        _fingerprints[stored] = stored.ToJsonString();
    }

    /// <summary>Checks a stored version against its fingerprint; <paramref name="leaving"/>: it leaves the store
    /// (replaced or removed), so its fingerprint goes too.</summary>
    private void VerifyUnchanged(ServedResource r, string key, JsonObject stored, bool leaving = true)
    {
        if (!VerifyStoredVersions) return;
        var known = leaving ? _fingerprints.Remove(stored, out var atCommit) : _fingerprints.TryGetValue(stored, out atCommit);
        if (known && stored.ToJsonString() != atCommit)
            throw new InvalidOperationException(
                $"the stored version of {r.Kind.Kind} {key} changed after its commit: an edit wrote into a node it shares with it (take it with CopyOnWrite.Own first)");
    }
}
