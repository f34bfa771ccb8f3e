namespace Drydock.Nodes;

/// <summary>What a step did: the exact command line(s) the transport ran, their exit code and output.</summary>
public sealed record NodeStepResult
{
    public required string Node { get; init; }
    public required NodeStep Step { get; init; }
    /// <summary>The rendered command(s), as an operator would have typed them ("apt-get install -y kubeadm='1.28.4-*'").</summary>
    public required string CommandLine { get; init; }
    public int ExitCode { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public TimeSpan Duration { get; init; }
    /// <summary>Set by steps that query state (QueryNodeFacts, ListAvailableVersions).</summary>
    public NodeFacts? Facts { get; init; }
    public IReadOnlyList<string>? Versions { get; init; }
    public bool Succeeded => ExitCode == 0;
}

/// <summary>What a node reports about itself.</summary>
public sealed record NodeFacts
{
    public required string Node { get; init; }
    /// <summary>"apt" or "yum".</summary>
    public required string PackageManager { get; init; }
    /// <summary>Installed versions by package name (kubeadm, kubelet, kubectl), without package revision.</summary>
    public IReadOnlyDictionary<string, string> Installed { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Held { get; init; } = [];
    /// <summary>The Kubernetes minor the package repository points at ("1.28"), when known.</summary>
    public string? RepositoryMinor { get; init; }
    public bool SwapOn { get; init; }
    public string? BootId { get; init; }
}
