namespace Drydock.Common;

/// <summary>
/// A clock that moves only when told to (Microsoft.Extensions.TimeProvider.Testing is not in the registry here).
/// Timers created through it fire, in due order, as <see cref="Advance"/> passes their due time. Used by tests and
/// by rehearsals, where "waiting" costs no wall time.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    // Pending timers in firing order (due time, then creation/reschedule order). A sorted set, not a list: rehearsals
    // keep thousands of timers pending (every drain's retry), and each fire must not scan them all.
    private readonly SortedSet<ManualTimer> _timers = new(Comparer<ManualTimer>.Create((a, b) =>
        a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Sequence.CompareTo(b.Sequence)));
    private DateTimeOffset _now;
    private long _sequence;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public override long GetTimestamp() { lock (_gate) return _now.UtcTicks; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The earliest pending timer's due time, if any (lets a driver jump straight to the next event).</summary>
    public DateTimeOffset? NextDue
    {
        get { lock (_gate) return _timers.Count == 0 ? null : _timers.Min!.Due; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that comes due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time does not go backwards");
        DateTimeOffset target;
        lock (_gate) target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Count > 0 && _timers.Min!.Due <= target ? _timers.Min : null;
                if (next is null) { _now = target; return; }
                if (next.Due > _now) _now = next.Due;
                _timers.Remove(next);
                if (next.Period > TimeSpan.Zero) { next.Due = _now + next.Period; next.Sequence = ++_sequence; _timers.Add(next); }
            }
            next.Fire();
        }
    }

    /// <summary>Sets the clock to an absolute time (forward only).</summary>
    public void AdvanceTo(DateTimeOffset when)
    {
        var now = GetUtcNow();
        if (when > now) Advance(when - now);
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            timer.Due = _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
        }
    }

    private void Remove(ManualTimer timer) { lock (_gate) _timers.Remove(timer); }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due;
        public TimeSpan Period;
        public long Sequence;

        public bool Change(TimeSpan dueTime, TimeSpan period) { owner.Schedule(this, dueTime, period); return true; }
        public void Fire() => callback(state);
        public void Dispose() => owner.Remove(this);
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
