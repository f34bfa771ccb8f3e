namespace Drydock.Kube.Config;

/// <summary>
/// One kubeconfig file (or several merged), as parsed: named clusters, users and contexts. Relative paths in it
/// are already resolved against the folder of the file that named them.
/// </summary>
public sealed record Kubeconfig
{
    /// <summary>Where it came from ("/root/.kube/config", or "a:b" after a merge) — for error messages.</summary>
    public string Source { get; init; } = "";
    public string? CurrentContext { get; init; }
    public IReadOnlyDictionary<string, KubeconfigCluster> Clusters { get; init; } = new Dictionary<string, KubeconfigCluster>();
    public IReadOnlyDictionary<string, KubeconfigUser> Users { get; init; } = new Dictionary<string, KubeconfigUser>();
    public IReadOnlyDictionary<string, KubeconfigContext> Contexts { get; init; } = new Dictionary<string, KubeconfigContext>();
}

public sealed record KubeconfigCluster
{
    public string? Server { get; init; }
    public string? CertificateAuthority { get; init; }
    public string? CertificateAuthorityData { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? TlsServerName { get; init; }
    /// <summary>The file that defined it (relative exec commands resolve against its folder).</summary>
    public string? DefinedIn { get; init; }
}

public sealed record KubeconfigContext
{
    public string? Cluster { get; init; }
    public string? User { get; init; }
    public string? Namespace { get; init; }
}
