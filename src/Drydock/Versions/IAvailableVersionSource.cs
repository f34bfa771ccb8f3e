namespace Drydock.Versions;

/// <summary>Somewhere that knows which Kubernetes versions can be installed: a node's package repository, release markers.</summary>
public interface IAvailableVersionSource
{
    /// <summary>For messages: "release markers at http://…", "package repository on cp-1".</summary>
    string Describe { get; }

    /// <summary>Versions available for minors <paramref name="fromMinor"/>..<paramref name="toMinor"/> of the cluster's major (a source may return more).</summary>
    Task<IReadOnlyList<KubeVersion>> ListAsync(int major, int fromMinor, int toMinor, CancellationToken ct = default);
}
