using System.Globalization;
using Drydock.Common;

namespace Drydock.Orchestration;

/// <summary>The cluster-wide lock: one orchestrator per cluster (kured's Lock, here a coordination.k8s.io Lease).</summary>
public interface IClusterLock
{
    /// <summary>Takes the lock or throws <see cref="DrydockException"/> carrying <see cref="LockHeldError"/>.
    /// An expired lease (holder stopped renewing) is taken over.</summary>
    Task<ILockHandle> AcquireAsync(string identity, CancellationToken ct);

    /// <summary>Who holds it now, if anyone.</summary>
    Task<LockHolder?> ReadAsync(CancellationToken ct);
}

/// <summary>A held lock, renewed in the background until disposed (which releases it).</summary>
public interface ILockHandle : IAsyncDisposable
{
    string Identity { get; }
    /// <summary>Cancelled if renewal finds another holder: the run must stop.</summary>
    CancellationToken Lost { get; }
}

public sealed record LockHolder(string Identity, DateTimeOffset? AcquiredAt, DateTimeOffset? RenewedAt, TimeSpan Duration)
{
    public DateTimeOffset? ExpiresAt => (RenewedAt ?? AcquiredAt) + Duration;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && e <= now;
}

/// <summary>Another run holds the lock: names the holder, when it took it and when it expires.</summary>
public sealed record LockHeldError(LockHolder Holder, string LockName) : DrydockError(Format(Holder, LockName))
{
    private static string Format(LockHolder h, string lockName) =>
        $"another drydock run holds the lock {lockName}: {h.Identity}, acquired {Time(h.AcquiredAt)}, " +
        $"renewed {Time(h.RenewedAt)}, expires {Time(h.ExpiresAt)} unless renewed; wait for it to finish " +
        "(`drydock upgrade status`), or if that process is gone, retry after it expires";

    private static string Time(DateTimeOffset? t) =>
        t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(unknown)";
}
