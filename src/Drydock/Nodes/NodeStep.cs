namespace Drydock.Nodes;

/// <summary>
/// A semantic operation on one node, as the seed guides perform it by hand. A transport renders it: SSH turns it
/// into the apt/yum/kubeadm/systemctl command lines of the guides, the sandbox applies it to its simulated node.
/// Package versions are Kubernetes versions without a package revision ("1.28.4"); the transport picks the
/// repository's own spelling (1.28.4-1.1, 1.28.4-00, 1.28.4-0).
/// </summary>
public abstract record NodeStep
{
    /// <summary>Short name for journals and progress ("install kubeadm 1.28.4").</summary>
    public abstract string Describe();
}

/// <summary>What the node is: OS family, installed/held package versions, repository minor.</summary>
public sealed record QueryNodeFacts : NodeStep { public override string Describe() => "query node facts"; }

/// <summary>Versions the node's configured repository offers for a package (apt-cache madison / yum list --showduplicates).</summary>
public sealed record ListAvailableVersions(string Package) : NodeStep { public override string Describe() => $"list available {Package} versions"; }

/// <summary>Point the package repository at a Kubernetes minor (pkgs.k8s.io is per minor: /core:/stable:/v1.28/).</summary>
public sealed record SwitchRepository(string Minor) : NodeStep { public override string Describe() => $"switch package repository to v{Minor}"; }

/// <summary>Unhold, install at exactly this version, hold again (apt-mark / versionlock or --disableexcludes).</summary>
public sealed record InstallPackages(IReadOnlyList<string> Packages, string Version) : NodeStep
{
    public override string Describe() => $"install {string.Join(", ", Packages)} {Version}";
}

public sealed record KubeadmVersion : NodeStep { public override string Describe() => "kubeadm version"; }

public sealed record KubeadmUpgradePlan(string? Version = null) : NodeStep { public override string Describe() => "kubeadm upgrade plan"; }

/// <summary><c>kubeadm upgrade apply vX.Y.Z --yes</c> on the first control-plane node.</summary>
public sealed record KubeadmUpgradeApply(string Version, bool CertificateRenewal = true) : NodeStep
{
    public override string Describe() => $"kubeadm upgrade apply v{Version}";
}

/// <summary><c>kubeadm upgrade node</c> on other control-plane nodes and workers.</summary>
public sealed record KubeadmUpgradeNode : NodeStep { public override string Describe() => "kubeadm upgrade node"; }

/// <summary><c>systemctl daemon-reload &amp;&amp; systemctl restart kubelet</c>.</summary>
public sealed record RestartKubelet : NodeStep { public override string Describe() => "restart kubelet"; }

public sealed record Reboot : NodeStep { public override string Describe() => "reboot"; }

/// <summary>An operator-supplied command (drydock maintain -- COMMAND), or an internal one (etcd restore, cert read).</summary>
public sealed record RunCommand(string Command, TimeSpan? Timeout = null) : NodeStep { public override string Describe() => $"run: {Command}"; }

/// <summary>Read a file on the node (certificates, manifests). Output is the file's content.</summary>
public sealed record ReadFile(string Path) : NodeStep { public override string Describe() => $"read {Path}"; }

/// <summary>Write a file atomically (temp + rename) with a mode, e.g. 0600 for keys.</summary>
public sealed record WriteFile(string Path, string Content, int Mode = 0x180) : NodeStep { public override string Describe() => $"write {Path}"; }

/// <summary>
/// Copy a file from the machine running Drydock onto the node (a snapshot to restore): streamed, written to a temp
/// file next to <see cref="Path"/> (its directory created with mode 0700), checked on the node against
/// <see cref="Sha256"/> (hex, of the whole source, computed once by the caller), mode set, then renamed into place.
/// A mismatch leaves nothing behind and fails the step.
/// </summary>
public sealed record PutFile(string SourcePath, string Path, long Length, string Sha256, int Mode = 0x180) : NodeStep
{
    public override string Describe() => $"copy {SourcePath} to {Path}";
}
