namespace Drydock.Etcd.Restore;

/// <summary>What discovery found on one control-plane node, read-only: its etcd manifest, apiserver, restore tool.</summary>
public sealed record RestoreTarget
{
    public required string Node { get; init; }
    public required string ManifestsDir { get; init; }
    public required string ManifestText { get; init; }
    public required EtcdManifest Manifest { get; init; }
    /// <summary>Null when this node runs no kube-apiserver static pod.</summary>
    public string? ApiServerHealthUrl { get; init; }
    /// <summary>Absolute path of etcdutl (3.5+) or, when absent, etcdctl.</summary>
    public required string RestoreTool { get; init; }
    public bool ToolIsEtcdutl => Path.GetFileName(RestoreTool) == "etcdutl";
}

/// <summary>Where each member's data went: the old dir is kept, the manifests' originals stay in the aside dir.</summary>
public sealed record RestoredMember
{
    public required string Node { get; init; }
    public required string Name { get; init; }
    public required string OldDataDir { get; init; }
    public required string NewDataDir { get; init; }
    public required string AsideDir { get; init; }
    public required string ManifestsDir { get; init; }
    /// <summary>Where the snapshot is on this member's node (the copy's path when it was uploaded).</summary>
    public string SnapshotPath { get; init; } = "";
}
