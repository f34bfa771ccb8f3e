using Drydock.Kube;
using Drydock.Kube.Models;

namespace Drydock.Sandbox.Rehearsal;

/// <summary>
/// The sandbox's in-process client, with every call and every watch step run on the virtual-time driver's thread.
/// The drain library and the orchestrator stay on the driver's context anyway; this is the safety net for code that
/// hops to the thread pool: it comes back to the driver at its next API call, and watch events are delivered there —
/// so the driver always knows whether anything is still runnable.
/// </summary>
internal sealed class DriverBoundKubeClient(IKubeClient inner, VirtualTimeDriver driver, Action<string, string, Exception?>? onEviction = null) : IKubeClient
{
    public Uri Server => inner.Server;

    public Task<VersionInfo> GetVersionAsync(CancellationToken ct = default) => driver.Invoke(() => inner.GetVersionAsync(ct));

    public Task<ApiResourceList> GetApiResourcesAsync(string groupVersion, CancellationToken ct = default) =>
        driver.Invoke(() => inner.GetApiResourcesAsync(groupVersion, ct));

    public Task<T> GetAsync<T>(ResourceKind kind, string? ns, string name, CancellationToken ct = default) where T : class =>
        driver.Invoke(() => inner.GetAsync<T>(kind, ns, name, ct));

    public Task<KubeList<T>> ListAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class =>
        driver.Invoke(() => inner.ListAsync<T>(kind, options, ct));

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceKind kind, ListOptions options, CancellationToken ct = default) where T : class =>
        new BoundStream<T>(driver, () => inner.WatchAsync<T>(kind, options, ct));

    public Task<T> CreateAsync<T>(ResourceKind kind, string? ns, T obj, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class =>
        driver.Invoke(() => inner.CreateAsync(kind, ns, obj, dryRun, ct));

    public Task<T> PatchAsync<T>(ResourceKind kind, string? ns, string name, PatchType patchType, string patch, DryRun dryRun = DryRun.None, CancellationToken ct = default) where T : class =>
        driver.Invoke(() => inner.PatchAsync<T>(kind, ns, name, patchType, patch, dryRun, ct));

    public Task DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default) =>
        driver.Invoke(async () => { await inner.DeleteAsync(kind, ns, name, options, dryRun, ct); return true; });

    /// <summary>Every eviction's outcome goes to the recorder too: a 429 is a drain waiting on a PDB. An outcome that is
    /// already known (the in-process client completes synchronously) is read off the task without throwing it again —
    /// refused evictions are the most frequent failure of a rehearsal.</summary>
    public Task EvictAsync(string ns, string name, DeleteOptions? options = null, DryRun dryRun = DryRun.None, CancellationToken ct = default)
    {
        if (driver.OnDriverThread) return Report(ns, name, () => inner.EvictAsync(ns, name, options, dryRun, ct));
        return driver.Invoke(async () =>
        {
            await Report(ns, name, () => inner.EvictAsync(ns, name, options, dryRun, ct));
            return true;
        });
    }

    private Task Report(string ns, string name, Func<Task> evict)
    {
        Task eviction;
        try { eviction = evict(); }
        catch (Exception e) { eviction = Task.FromException(e); }
        if (!eviction.IsCompleted) return ReportWhenDone(ns, name, eviction);
        if (eviction.IsFaulted) onEviction?.Invoke(ns, name, eviction.Exception!.InnerException!);
        else if (eviction.IsCompletedSuccessfully) onEviction?.Invoke(ns, name, null);
        else onEviction?.Invoke(ns, name, new TaskCanceledException(eviction));
        return eviction;
    }

    private async Task ReportWhenDone(string ns, string name, Task eviction)
    {
        try { await eviction; }
        catch (Exception e) { onEviction?.Invoke(ns, name, e); throw; }
        onEviction?.Invoke(ns, name, null);
    }

    private sealed class BoundStream<T>(VirtualTimeDriver driver, Func<IAsyncEnumerable<WatchEvent<T>>> open) : IAsyncEnumerable<WatchEvent<T>>
    {
        public IAsyncEnumerator<WatchEvent<T>> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new Enumerator<T>(driver, open, cancellationToken);
    }

    private sealed class Enumerator<T>(VirtualTimeDriver driver, Func<IAsyncEnumerable<WatchEvent<T>>> open, CancellationToken ct)
        : IAsyncEnumerator<WatchEvent<T>>
    {
        private IAsyncEnumerator<WatchEvent<T>>? _inner;

        public WatchEvent<T> Current => _inner!.Current;

        // The inner iterator's awaits capture the driver's context because they start on the driver thread.
        public ValueTask<bool> MoveNextAsync() =>
            new(driver.Invoke(async () => await (_inner ??= open().GetAsyncEnumerator(ct)).MoveNextAsync()));

        public ValueTask DisposeAsync() =>
            _inner is null ? ValueTask.CompletedTask : new(driver.Invoke(async () => { await _inner.DisposeAsync(); return true; }));
    }
}
