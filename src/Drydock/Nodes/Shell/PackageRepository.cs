namespace Drydock.Nodes.Shell;

/// <summary>
/// The community package repositories (pkgs.k8s.io) are per Kubernetes minor, so a minor hop first points the
/// node's repository definition at the new minor (seed 004 "更改软件包仓库"). The base URL is configurable for
/// mirrors and air-gapped clusters.
/// </summary>
public sealed record PackageRepository
{
    public const string DefaultBaseUrl = "https://pkgs.k8s.io/core:/stable:";
    public const string DefaultAptSourcesFile = "/etc/apt/sources.list.d/kubernetes.list";
    public const string DefaultAptKeyring = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";
    public const string DefaultYumRepoFile = "/etc/yum.repos.d/kubernetes.repo";

    public string BaseUrl { get; init; } = DefaultBaseUrl;
    /// <summary>Where the apt source line lives; the signing key is the same for every minor, so only this file changes.</summary>
    public string AptSourcesFile { get; init; } = DefaultAptSourcesFile;
    public string AptKeyring { get; init; } = DefaultAptKeyring;
    public string YumRepoFile { get; init; } = DefaultYumRepoFile;

    /// <summary>The one line of /etc/apt/sources.list.d/kubernetes.list, as the install guide writes it.</summary>
    public string AptSourcesLine(string minor) =>
        $"deb [signed-by={AptKeyring}] {BaseUrl}/v{minor}/deb/ /";

    /// <summary>/etc/yum.repos.d/kubernetes.repo, as the install guide writes it (exclude= keeps yum update from touching them).</summary>
    public string YumRepoFileContent(string minor) =>
        "[kubernetes]\n" +
        "name=Kubernetes\n" +
        $"baseurl={BaseUrl}/v{minor}/rpm/\n" +
        "enabled=1\n" +
        "gpgcheck=1\n" +
        $"gpgkey={BaseUrl}/v{minor}/rpm/repodata/repomd.xml.key\n" +
        "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";
}
