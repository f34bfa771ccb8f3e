namespace Drydock.Kube.Auth;

/// <summary>What an exec plugin with provideClusterInfo: true receives in KUBERNETES_EXEC_INFO's spec.cluster.</summary>
public sealed record ExecClusterInfo
{
    public required string Server { get; init; }
    public string? CertificateAuthorityData { get; init; }
    public string? TlsServerName { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
}
