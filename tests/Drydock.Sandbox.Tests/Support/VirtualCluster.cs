using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Sandbox.Cluster;
using Drydock.Sandbox.Scenarios;

namespace Drydock.Sandbox.Tests.Support;

/// <summary>A sandbox cluster on a manual clock: nothing happens until the test advances time.</summary>
internal sealed class VirtualCluster : IDisposable
{
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    public SandboxCluster Cluster { get; }
    public IKubeClient Client { get; }

    public VirtualCluster(string? listJson = null, SandboxOptions? options = null)
    {
        Cluster = new SandboxCluster(Clock, options);
        Cluster.LoadList(listJson ?? BuiltInScenario.Build("default"));
        Cluster.Settle();
        Client = Cluster.CreateClient();
    }

    public void Advance(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    public List<Pod> Pods(string? app = null, string? ns = null) =>
        Cluster.Objects<Pod>(ns).Where(p => app is null || p.Metadata.Labels?.GetValueOrDefault("app") == app).ToList();

    public PodDisruptionBudget Pdb(string ns, string name) => Cluster.Objects<PodDisruptionBudget>(ns).Single(p => p.Metadata.Name == name);

    public static bool Ready(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && p.Metadata.DeletionTimestamp is null;

    public void Dispose() => Cluster.Dispose();
}
