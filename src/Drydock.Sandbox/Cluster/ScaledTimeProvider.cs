namespace Drydock.Sandbox.Cluster;

/// <summary>Real time running <see cref="Scale"/> times faster (sandbox serve --time-scale N): simulated durations
/// (grace periods, pod start, kubeadm steps) pass N times quicker on the wall clock.</summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _start;
    private readonly long _startTimestamp;

    public ScaledTimeProvider(double scale, TimeProvider? inner = null)
    {
        if (scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), "the time scale must be positive");
        Scale = scale;
        _inner = inner ?? System;
        _start = _inner.GetUtcNow();
        _startTimestamp = _inner.GetTimestamp();
    }

    public double Scale { get; }

    public override DateTimeOffset GetUtcNow() => _start + _inner.GetElapsedTime(_startTimestamp) * Scale;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, Shrink(dueTime), Shrink(period));

    private TimeSpan Shrink(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : t / Scale;
}
