using System.Globalization;
using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Models;
using Drydock.Planning.Inventory;

namespace Drydock.Tests.Planning;

public sealed class ClusterInventoryPagingTests
{
    /// <summary>Reading pods page by page and reducing each page at once must give the snapshot that reducing every
    /// typed object together gives (Deployment owners resolved through ReplicaSets on every page).</summary>
    [Fact]
    public async Task Should_read_a_multi_page_cluster_into_the_same_snapshot_as_building_from_all_objects()
    {
        var cluster = new TestCluster().ControlPlane("cp-1").Worker("w-1").Worker("w-2").Worker("w-3");
        for (var d = 0; d < 400; d++)
            cluster.Deployment("shop", $"app-{d:D3}", ["w-1", "w-2", "w-3"]);
        cluster.BarePod("default", "debug", "w-2");
        var objects = cluster.Objects();
        var client = new PagingClient(objects);

        var read = await new ClusterInventory(client, new ManualTimeProvider()).ReadAsync();
        var expected = SnapshotBuilder.Build(objects, "x", live: true);

        objects.Pods.Count.Should().BeGreaterThan(2 * ClusterInventory.PageSize);
        client.PodPages.Should().Be((objects.Pods.Count + ClusterInventory.PageSize - 1) / ClusterInventory.PageSize);
        read.Pods.Should().BeEquivalentTo(expected.Pods, o => o.WithStrictOrdering());
        read.Pods.Where(p => p.Controller?.Kind == "ReplicaSet").Should().OnlyContain(p => p.Workload!.Kind == "Deployment");
        read.Workloads.Should().BeEquivalentTo(expected.Workloads, o => o.WithStrictOrdering());
        read.ControlPlane.Should().BeEquivalentTo(expected.ControlPlane, o => o.WithStrictOrdering());
        read.Nodes.Select(n => n.Name).Should().Equal(expected.Nodes.Select(n => n.Name));
        read.Warnings.Should().Equal(expected.Warnings);
    }

    /// <summary>Serves a <see cref="KubeObjectSet"/> as the apiserver pages a LIST (limit/continue).</summary>
    private sealed class PagingClient(KubeObjectSet objects) : IKubeClient
    {
        public int PodPages { get; private set; }

        public Uri Server { get; } = new("https://paging.test:6443");

        public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => Task.FromResult(new VersionInfo { GitVersion = "v1.27.16" });

        public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class =>
            Task.FromResult((T)(object)objects.ConfigMaps.Single(c => c.Metadata.Namespace == ns && c.Metadata.Name == name));

        public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class
        {
            IReadOnlyList<object> all = kind.Plural switch
            {
                "nodes" => objects.Nodes, "pods" => objects.Pods, "poddisruptionbudgets" => objects.Pdbs,
                "deployments" => objects.Deployments, "replicasets" => objects.ReplicaSets, "statefulsets" => objects.StatefulSets,
                "daemonsets" => objects.DaemonSets, "jobs" => objects.Jobs, _ => [],
            };
            if (kind.Plural == "pods") PodPages++;
            var from = options.Continue is null ? 0 : int.Parse(options.Continue, CultureInfo.InvariantCulture);
            var page = all.Skip(from).Take(options.Limit > 0 ? options.Limit : int.MaxValue).Cast<T>().ToList();
            var next = from + page.Count < all.Count ? (from + page.Count).ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new KubeList<T> { Items = page, Metadata = new ListMeta { Continue = next } });
        }

        public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class => throw new NotSupportedException();
        public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) => throw new NotSupportedException();
        public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
