using Drydock.Nodes;

namespace Drydock.Versions;

/// <summary>
/// The versions a node's package repository offers for kubeadm (the agent runs <c>apt-cache madison kubeadm</c> or
/// <c>yum list --showduplicates kubeadm</c>). Uses the agent's parsed list when it gives one, else parses stdout.
/// pkgs.k8s.io repositories are per minor: a node still pointed at v1.27 offers no v1.28 until switched.
/// </summary>
public sealed class PackageRepositoryVersionSource(INodeAgent agent) : IAvailableVersionSource
{
    public string Describe => $"package repository on {agent.NodeName}";

    public async Task<IReadOnlyList<KubeVersion>> ListAsync(int major, int fromMinor, int toMinor, CancellationToken ct = default)
    {
        var result = await agent.RunAsync(new ListAvailableVersions("kubeadm"), ct).ConfigureAwait(false);
        if (!result.Succeeded)
            throw new NodeAgentException(agent.NodeName, $"listing kubeadm versions failed (exit {result.ExitCode}): {result.Stderr.Trim()}");
        if (result.Versions is { } listed)
            return listed.Select(s => KubeVersion.TryParse(s, out _)).OfType<KubeVersion>().ToList();
        var parsed = result.Stdout.Contains('|', StringComparison.Ordinal)
            ? PackageVersionListing.ParseAptCacheMadison(result.Stdout)
            : PackageVersionListing.ParseYumListShowDuplicates(result.Stdout);
        return parsed.Select(p => p.Version).Distinct().ToList();
    }
}
