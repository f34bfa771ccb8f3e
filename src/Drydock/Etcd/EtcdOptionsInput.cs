namespace Drydock.Etcd;

/// <summary>What the user typed: etcdctl's flag names, each null when not given.</summary>
public sealed record EtcdOptionsInput
{
    /// <summary>--endpoints, comma separated (etcdctl: "127.0.0.1:2379,https://10.0.0.2:2379").</summary>
    public string? Endpoints { get; init; }
    public string? CaCert { get; init; }
    public string? Cert { get; init; }
    public string? Key { get; init; }
    /// <summary>Go durations, as etcdctl takes them ("2s", "1m30s", "500ms").</summary>
    public string? DialTimeout { get; init; }
    public string? CommandTimeout { get; init; }
}
