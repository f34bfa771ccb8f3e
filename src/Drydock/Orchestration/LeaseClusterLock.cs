using Drydock.Common;
using Drydock.Kube;
using Drydock.Kube.Json;
using Drydock.Kube.Models;

namespace Drydock.Orchestration;

/// <summary>
/// <see cref="IClusterLock"/> on a Lease (default kube-system/drydock-lock): holderIdentity "user@host pid N",
/// acquireTime, renewTime and leaseDurationSeconds, renewed on the injected clock. Writes carry the read
/// resourceVersion, so two takers racing for an expired lease cannot both win (the loser gets 409).
/// </summary>
public sealed class LeaseClusterLock(IKubeClient kube, TimeProvider time, string ns = RolloutConstants.Namespace, string name = RolloutConstants.LockLease) : IClusterLock
{
    public TimeSpan Duration { get; init; } = RolloutConstants.LeaseDuration;
    public TimeSpan RenewInterval { get; init; } = RolloutConstants.LeaseRenewInterval;

    private string LockName => $"{ns}/{name}";
    private IKubeClient Kube => kube;
    private TimeProvider Clock => time;
    private string Ns => ns;
    private string Name => name;

    public async Task<LockHolder?> ReadAsync(CancellationToken ct)
    {
        var lease = await TryGet(ct);
        return lease?.Spec?.HolderIdentity is { Length: > 0 } ? Holder(lease) : null;
    }

    public async Task<ILockHandle> AcquireAsync(string identity, CancellationToken ct)
    {
        var now = Micro(time.GetUtcNow());
        var lease = await TryGet(ct);
        if (lease is null)
        {
            try
            {
                await kube.CreateAsync(ResourceKind.Leases, ns, new Lease
                {
                    Metadata = new ObjectMeta { Name = name, Namespace = ns },
                    Spec = Spec(identity, now, now, 0),
                }, ct: ct);
                return Start(identity);
            }
            catch (KubeApiException ex) when (ex.IsConflict)
            {
                // Someone created it between our read and create: judge their lease like any other.
                lease = await TryGet(ct);
                if (lease is null) throw;
            }
        }
        var holder = Holder(lease);
        var free = string.IsNullOrEmpty(lease.Spec?.HolderIdentity) || holder.Identity == identity || holder.IsExpired(now);
        if (!free) throw new DrydockException(new LockHeldError(holder, LockName));
        var patch = KubeJson.Serialize(new Lease
        {
            ApiVersion = null, Kind = null,
            Metadata = new ObjectMeta { ResourceVersion = lease.Metadata.ResourceVersion },
            Spec = Spec(identity, now, now, (lease.Spec?.LeaseTransitions ?? 0) + (holder.Identity == identity ? 0 : 1)),
        });
        try
        {
            await kube.PatchAsync<Lease>(ResourceKind.Leases, ns, name, PatchType.Merge, patch, ct: ct);
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            var winner = await ReadAsync(ct);
            throw new DrydockException(new LockHeldError(winner ?? holder, LockName));
        }
        return Start(identity);
    }

    private Handle Start(string identity)
    {
        var handle = new Handle(this, identity);
        handle.Renewal = handle.RenewLoopAsync();
        return handle;
    }

    private LeaseSpec Spec(string identity, DateTimeOffset acquired, DateTimeOffset renewed, int transitions) => new()
    {
        HolderIdentity = identity,
        LeaseDurationSeconds = (int)Duration.TotalSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    private async Task<Lease?> TryGet(CancellationToken ct)
    {
        try { return await kube.GetAsync<Lease>(ResourceKind.Leases, ns, name, ct); }
        catch (KubeApiException ex) when (ex.IsNotFound) { return null; }
    }

    private static LockHolder Holder(Lease l) => new(
        l.Spec?.HolderIdentity ?? "", l.Spec?.AcquireTime, l.Spec?.RenewTime, TimeSpan.FromSeconds(l.Spec?.LeaseDurationSeconds ?? 0));

    /// <summary>Lease times are MicroTime, which the API parses with exactly six fraction digits: never send whole seconds.</summary>
    private static DateTimeOffset Micro(DateTimeOffset t) => t.Ticks % TimeSpan.TicksPerSecond == 0 ? t.AddTicks(10) : t;

    private sealed class Handle(LeaseClusterLock owner, string identity) : ILockHandle
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        public Task Renewal { get; set; } = Task.CompletedTask;
        public string Identity => identity;
        public CancellationToken Lost => _lost.Token;

        public async Task RenewLoopAsync()
        {
            var lastRenewed = owner.Clock.GetUtcNow();
            try
            {
                while (true)
                {
                    await Task.Delay(owner.RenewInterval, owner.Clock, _stop.Token);
                    try
                    {
                        var lease = await owner.TryGet(_stop.Token);
                        if (lease?.Spec?.HolderIdentity != identity) { _lost.Cancel(); return; }
                        var patch = KubeJson.Serialize(new Lease
                        {
                            ApiVersion = null, Kind = null,
                            Metadata = new ObjectMeta { ResourceVersion = lease.Metadata.ResourceVersion },
                            Spec = new LeaseSpec { RenewTime = Micro(owner.Clock.GetUtcNow()) },
                        });
                        await owner.Kube.PatchAsync<Lease>(ResourceKind.Leases, owner.Ns, owner.Name, PatchType.Merge, patch, ct: _stop.Token);
                        lastRenewed = owner.Clock.GetUtcNow();
                    }
                    catch (KubeApiException ex) when (ex.IsConflict) { _lost.Cancel(); return; }
                    catch (KubeApiException)
                    {
                        // Transient API trouble: try again next interval; once the lease may have expired, another
                        // process may hold it, so the run must stop rather than risk two orchestrators.
                        if (owner.Clock.GetUtcNow() - lastRenewed >= owner.Duration) { _lost.Cancel(); return; }
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel(); // not CancelAsync: that runs the renewal's cancellation on the thread pool (a rehearsal must stay on its driver)
            await Renewal;
            try
            {
                var lease = await owner.TryGet(CancellationToken.None);
                if (lease?.Spec?.HolderIdentity == identity)
                    await owner.Kube.DeleteAsync(ResourceKind.Leases, owner.Ns, owner.Name, ct: CancellationToken.None);
            }
            catch (KubeApiException ex) when (ex.IsNotFound) { }
            _stop.Dispose();
            _lost.Dispose();
        }
    }
}
